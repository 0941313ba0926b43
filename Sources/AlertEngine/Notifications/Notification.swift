import MetricStore

/// A message the dispatcher decided to send: to one integration of one receiver, for one
/// aggregation group. Once decided it is the outbox's to deliver, at least once, under its
/// idempotency key.
public struct Notification: Sendable, Equatable {
    public var receiver: String
    public var integration: Int
    public var groupKey: String
    /// Unix milliseconds.
    public var decidedAt: Int64
    /// The webhook payload (version 4).
    public var body: String
    /// The alerts in it, for the log line of each: labels and whether it resolved.
    public var alerts: [(labels: Labels, resolved: Bool)]

    public init(receiver: String, integration: Int, groupKey: String, decidedAt: Int64, body: String, alerts: [(labels: Labels, resolved: Bool)]) {
        self.receiver = receiver
        self.integration = integration
        self.groupKey = groupKey
        self.decidedAt = decidedAt
        self.body = body
        self.alerts = alerts
    }

    /// Stable for this notification across retries and restarts, different for every other:
    /// receivers deduplicate on it (`Idempotency-Key`). FNV-1a of the receiver, integration,
    /// group key and body, in hex: the body holds the decision's alerts and their statuses.
    public var idempotencyKey: String {
        var hash: UInt64 = 14_695_981_039_346_656_037
        for part in [receiver, String(integration), groupKey, String(decidedAt), body] {
            for byte in part.utf8 {
                hash ^= UInt64(byte)
                hash = hash &* 1_099_511_628_211
            }
            hash ^= 0xff
            hash = hash &* 1_099_511_628_211
        }
        return AlertFingerprint(value: hash).description
    }

    public static func == (lhs: Notification, rhs: Notification) -> Bool {
        lhs.receiver == rhs.receiver && lhs.integration == rhs.integration && lhs.groupKey == rhs.groupKey
            && lhs.decidedAt == rhs.decidedAt && lhs.body == rhs.body
    }
}
