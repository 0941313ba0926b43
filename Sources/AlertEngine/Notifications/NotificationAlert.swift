import MetricStore

/// An alert as it leaves the rule engine for routing: Alertmanager's alert model. Times are
/// Unix milliseconds.
public struct NotificationAlert: Sendable, Equatable {
    public var labels: Labels
    public var annotations: Labels
    /// When the alert started firing.
    public var startsAt: Int64
    /// When it resolved; nil while it fires.
    public var endsAt: Int64?
    public var generatorURL: String
    public let fingerprint: AlertFingerprint

    public init(labels: Labels, annotations: Labels, startsAt: Int64, endsAt: Int64?, generatorURL: String) {
        self.labels = labels
        self.annotations = annotations
        self.startsAt = startsAt
        self.endsAt = endsAt
        self.generatorURL = generatorURL
        self.fingerprint = AlertFingerprint(labels)
    }

    public func isResolved(at now: Int64) -> Bool {
        endsAt.map { $0 <= now } ?? false
    }

    /// Alertmanager's order inside a notification: by `job`, then `instance` (an alert with
    /// the label before one without), then by the whole label set.
    public static func notificationOrder(_ lhs: NotificationAlert, _ rhs: NotificationAlert) -> Bool {
        for name in ["job", "instance"] {
            switch (lhs.labels[name], rhs.labels[name]) {
            case (nil, nil): continue
            case (nil, _): return false
            case (_, nil): return true
            case (let l?, let r?) where l != r: return l < r
            default: continue
            }
        }
        return lhs.labels < rhs.labels
    }
}
