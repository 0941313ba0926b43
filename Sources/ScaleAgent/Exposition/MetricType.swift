/// The metric types of the Prometheus text format. `untyped` is rendered as `unknown` in
/// OpenMetrics. A `histogram` family's samples carry their suffix (`_bucket` with `le`,
/// `_sum`, `_count`) in `MetricSample.suffix`.
public enum MetricType: String, Sendable, Hashable {
    case counter
    case gauge
    case histogram
    case untyped
}
