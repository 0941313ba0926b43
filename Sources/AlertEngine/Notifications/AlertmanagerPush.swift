import MetricStore

/// Which alerts go to Alertmanager's `POST /api/v2/alerts` and when, as Prometheus' rule
/// manager decides it: a firing alert is sent when it starts firing and then again every
/// `resendDelay`; a resolved one is sent once its resolution is newer than its last send (and
/// keeps being re-sent every `resendDelay` while the rule engine still reports it). A firing
/// alert's `endsAt` is four times the larger of `resendDelay` and the evaluation interval
/// ahead, so that Alertmanager resolves it by itself if the agent dies. Pure: the time comes
/// in as an argument.
public struct AlertmanagerPush: Sendable {
    public static let defaultResendDelay: Int64 = 60_000

    public var resendDelay: Int64
    public var evaluationInterval: Int64
    /// Per alert, when it was last sent.
    private var lastSent: [AlertFingerprint: Int64] = [:]

    public init(resendDelay: Int64 = Self.defaultResendDelay, evaluationInterval: Int64) {
        self.resendDelay = resendDelay
        self.evaluationInterval = evaluationInterval
    }

    /// The alerts to send now, with their `endsAt` set; remembers them as sent.
    public mutating func due(_ alerts: [NotificationAlert], now: Int64) -> [NotificationAlert] {
        var sending: [NotificationAlert] = []
        var seen: Set<AlertFingerprint> = []
        for var alert in alerts {
            seen.insert(alert.fingerprint)
            let last = lastSent[alert.fingerprint]
            let needed: Bool
            if let endsAt = alert.endsAt, last.map({ endsAt > $0 }) ?? true {
                needed = true
            } else {
                needed = last.map { $0 + resendDelay < now } ?? true
            }
            guard needed else { continue }
            lastSent[alert.fingerprint] = now
            if alert.endsAt == nil { alert.endsAt = now + 4 * max(resendDelay, evaluationInterval) }
            sending.append(alert)
        }
        lastSent = lastSent.filter { seen.contains($0.key) }
        return sending
    }

    /// Alertmanager's `postableAlerts`: a JSON array of labels, annotations, startsAt, endsAt
    /// and generatorURL.
    public static func body(_ alerts: [NotificationAlert]) -> String {
        var writer = JSONWriter()
        writer.beginArray()
        for alert in alerts {
            writer.beginObject()
            writer.key("labels")
            write(alert.labels, to: &writer)
            writer.key("annotations")
            write(alert.annotations, to: &writer)
            writer.key("startsAt")
            writer.string(GoTime.rfc3339(unixMilliseconds: alert.startsAt))
            writer.key("endsAt")
            writer.string(GoTime.rfc3339(unixMilliseconds: alert.endsAt))
            writer.key("generatorURL")
            writer.string(alert.generatorURL)
            writer.endObject()
        }
        writer.endArray()
        return writer.text
    }

    private static func write(_ labels: Labels, to writer: inout JSONWriter) {
        writer.beginObject()
        for label in labels.pairs {
            writer.key(label.name)
            writer.string(label.value)
        }
        writer.endObject()
    }
}
