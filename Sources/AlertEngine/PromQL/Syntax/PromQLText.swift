import MetricStore

/// How Prometheus writes numbers and label sets in its API and tools, for the CLI and the
/// HTTP API to print results the way users' tools expect them.
public enum PromQLText {
    /// Go's `strconv.FormatFloat(v, 'f', -1, 64)`: shortest exact digits, `NaN`, `+Inf`.
    public static func value(_ value: Double) -> String { PrometheusFloat.fixed(value) }

    /// `{a="1", b="2"}`.
    public static func labels(_ labels: Labels) -> String { labels.prometheusText }
}
