import MetricStore

/// Alertmanager's webhook payload, version "4", so that any receiver written for Alertmanager
/// reads ours unchanged:
///
///     {"receiver":"ops","status":"firing",
///      "alerts":[{"status":"firing","labels":{…},"annotations":{…},
///                 "startsAt":"2026-12-06T17:00:00Z","endsAt":"0001-01-01T00:00:00Z",
///                 "generatorURL":"http://host-1:9470/graph?g0.expr=…&g0.tab=1",
///                 "fingerprint":"c1d2e3f4a5b6c7d8"}],
///      "groupLabels":{…},"commonLabels":{…},"commonAnnotations":{…},
///      "externalURL":"http://host-1:9470","version":"4",
///      "groupKey":"{}:{alertname=\"HighLoad\"}","truncatedAlerts":0}
///
/// Members in Alertmanager's order, label maps sorted by name (as Go writes a map). A firing
/// alert's `endsAt` is Go's zero time, as Alertmanager sends it; the message is `resolved` only
/// when every alert in it is.
public struct WebhookMessage: Sendable, Equatable {
    public var receiver: String
    public var groupKey: String
    public var groupLabels: Labels
    /// Already sorted and truncated.
    public var alerts: [NotificationAlert]
    public var truncatedAlerts: Int
    public var externalURL: String
    /// The time the statuses are taken at.
    public var now: Int64

    public init(
        receiver: String, groupKey: String, groupLabels: Labels, alerts: [NotificationAlert], truncatedAlerts: Int,
        externalURL: String, now: Int64
    ) {
        self.receiver = receiver
        self.groupKey = groupKey
        self.groupLabels = groupLabels
        self.alerts = alerts
        self.truncatedAlerts = truncatedAlerts
        self.externalURL = externalURL
        self.now = now
    }

    public var status: String { alerts.allSatisfy { $0.isResolved(at: now) } ? "resolved" : "firing" }

    public var json: String {
        var writer = JSONWriter()
        writer.beginObject()
        writer.key("receiver")
        writer.string(receiver)
        writer.key("status")
        writer.string(status)
        writer.key("alerts")
        writer.beginArray()
        for alert in alerts {
            let resolved = alert.isResolved(at: now)
            writer.beginObject()
            writer.key("status")
            writer.string(resolved ? "resolved" : "firing")
            writer.key("labels")
            Self.write(alert.labels, to: &writer)
            writer.key("annotations")
            Self.write(alert.annotations, to: &writer)
            writer.key("startsAt")
            writer.string(GoTime.rfc3339(unixMilliseconds: alert.startsAt))
            writer.key("endsAt")
            writer.string(GoTime.rfc3339(unixMilliseconds: resolved ? alert.endsAt : nil))
            writer.key("generatorURL")
            writer.string(alert.generatorURL)
            writer.key("fingerprint")
            writer.string(alert.fingerprint.description)
            writer.endObject()
        }
        writer.endArray()
        writer.key("groupLabels")
        Self.write(groupLabels, to: &writer)
        writer.key("commonLabels")
        Self.write(Self.common(alerts.map(\.labels)), to: &writer)
        writer.key("commonAnnotations")
        Self.write(Self.common(alerts.map(\.annotations)), to: &writer)
        writer.key("externalURL")
        writer.string(externalURL)
        writer.key("version")
        writer.string("4")
        writer.key("groupKey")
        writer.string(groupKey)
        writer.key("truncatedAlerts")
        writer.integer(truncatedAlerts)
        writer.endObject()
        return writer.text
    }

    /// The pairs every set has.
    static func common(_ sets: [Labels]) -> Labels {
        guard var common = sets.first?.pairs else { return .empty }
        for set in sets.dropFirst() where !common.isEmpty {
            common.removeAll { set[$0.name] != $0.value }
        }
        return Labels(sortedUnique: common)
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
