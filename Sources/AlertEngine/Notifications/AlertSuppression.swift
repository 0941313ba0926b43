import MetricStore

/// Why an alert is not notified, as Alertmanager's API reports it (`status.silencedBy`,
/// `status.inhibitedBy`, `status.state`): the active silences that match it and the firing
/// alerts that inhibit it.
public struct AlertSuppression: Sendable, Equatable {
    public var silencedBy: [String]
    public var inhibitedBy: [AlertFingerprint]

    public init(silencedBy: [String] = [], inhibitedBy: [AlertFingerprint] = []) {
        self.silencedBy = silencedBy
        self.inhibitedBy = inhibitedBy
    }

    /// Alertmanager's `suppressed` (else `active`).
    public var isSuppressed: Bool { !silencedBy.isEmpty || !inhibitedBy.isEmpty }

    /// For each alert, in order, what suppresses it at `now`: the same decisions the
    /// dispatcher makes when it flushes.
    public static func of(
        _ alerts: [NotificationAlert], silences: Silences, inhibitRules: [InhibitRule], now: Int64
    ) -> [AlertSuppression] {
        let sources = alerts.filter { !$0.isResolved(at: now) }
        return alerts.map { alert in
            let inhibitors = sources.filter { source in
                inhibitRules.contains { $0.inhibits(alert.labels, firing: [source.labels]) }
            }
            return AlertSuppression(silencedBy: silences.silencing(alert.labels, at: now), inhibitedBy: inhibitors.map(\.fingerprint))
        }
    }
}
