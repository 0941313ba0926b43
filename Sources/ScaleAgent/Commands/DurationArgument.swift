import AlertEngine

/// Durations given on the command line (`--step 15s`), in Prometheus' syntax.
public enum DurationArgument {
    /// Milliseconds, or an error that says what was expected.
    public static func milliseconds(parsing text: String) throws(PrometheusDuration.ParseError) -> Int64 {
        try PrometheusDuration.milliseconds(parsing: text)
    }
}
