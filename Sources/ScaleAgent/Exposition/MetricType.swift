/// The metric types of the Prometheus text format. `untyped` is rendered as `unknown` in
/// OpenMetrics.
public enum MetricType: String, Sendable, Hashable {
    case counter
    case gauge
    case untyped
}
