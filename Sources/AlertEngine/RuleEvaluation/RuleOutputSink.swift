import MetricStore

/// Where rule results go: recorded series, `ALERTS` and `ALERTS_FOR_STATE`. Written after
/// each rule, so a later rule of the same group reads what an earlier one recorded, as in
/// Prometheus.
public protocol RuleOutputSink: Sendable {
    func write(_ samples: [(labels: Labels, sample: Sample)])
}

extension Store: RuleOutputSink {
    public func write(_ samples: [(labels: Labels, sample: Sample)]) {
        append(samples)
    }
}
