import AlertEngine

/// Times given on the command line: what Prometheus' API accepts (`PrometheusTimestamp`: Unix
/// seconds such as `1764380033.5`, or RFC 3339 such as `2026-11-29T01:33:53Z`), plus a space
/// in place of the `T` (`2026-11-29 01:33:53Z`), which is easier to type in a shell and which
/// the CLI has always accepted.
public enum TimeArgument {
    /// Milliseconds since the epoch, or an error that says what was expected.
    public static func parse(_ text: String) throws(PrometheusTimestamp.ParseError) -> Int64 {
        var bytes = Array(text.utf8)
        if bytes.count > 10, bytes[10] == UInt8(ascii: " "), bytes[4] == UInt8(ascii: "-") {
            bytes[10] = UInt8(ascii: "T")
            do {
                return try PrometheusTimestamp.milliseconds(parsing: String(decoding: bytes, as: UTF8.self))
            } catch {
                throw .invalid(text)
            }
        }
        return try PrometheusTimestamp.milliseconds(parsing: text)
    }
}
