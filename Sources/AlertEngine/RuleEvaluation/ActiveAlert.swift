import MetricStore

/// An alert instance of one alerting rule with what its templates last rendered.
struct ActiveAlert: Sendable {
    var labels: Labels
    var annotations: Labels
    var value: Double
    var instance: AlertInstance

    func snapshot(rule: String, expression: String = "") -> AlertSnapshot {
        AlertSnapshot(
            rule: rule, labels: labels, annotations: annotations, state: instance.state, value: value,
            activeAt: instance.activeSince.map(\.unixMilliseconds), firedAt: instance.firedAt.map(\.unixMilliseconds),
            resolvedAt: instance.resolvedAt.map(\.unixMilliseconds), expression: expression)
    }
}

extension Duration {
    /// The alert state machine keeps time as a `Duration` since the Unix epoch.
    static func unixMilliseconds(_ milliseconds: Int64) -> Duration { .milliseconds(milliseconds) }

    var unixMilliseconds: Int64 {
        let (seconds, attoseconds) = components
        return seconds * 1000 + attoseconds / 1_000_000_000_000_000
    }
}
