import AlertEngine
import Hummingbird
import MetricStore

/// `GET /api/v2/alerts` in Alertmanager's `gettableAlerts` shape: the alerts the agent would
/// notify (firing, and resolved ones until their resolution is sent), each with its receivers
/// and `status` — `active`, or `suppressed` with the silences (`silencedBy`) and the firing
/// alerts' fingerprints (`inhibitedBy`) that hold it back. Labels include the external labels,
/// as notifications carry them. `endsAt` is given for resolved alerts only.
struct AlertmanagerAlertsEndpoint: Sendable {
    let alerts: @Sendable (Int64) -> [(alert: NotificationAlert, receivers: [String], suppression: AlertSuppression)]
    let now: @Sendable () -> Int64

    func respond() -> Response {
        let now = self.now()
        return Response(
            status: .ok, headers: [.contentType: "application/json"], body: ResponseBody(byteBuffer: ByteBuffer(string: Self.body(alerts(now), now: now))))
    }

    static func body(_ alerts: [(alert: NotificationAlert, receivers: [String], suppression: AlertSuppression)], now: Int64) -> String {
        var json = JSONWriter()
        json.beginArray()
        for (alert, receivers, suppression) in alerts {
            json.beginObject()
            json.key("annotations")
            RulesEndpoints.writeLabels(alert.annotations, &json)
            if let endsAt = alert.endsAt {
                json.key("endsAt")
                json.string(GettableSilence.time(endsAt))
            }
            json.key("fingerprint")
            json.string(alert.fingerprint.description)
            json.key("receivers")
            json.beginArray()
            for receiver in receivers {
                json.beginObject()
                json.key("name")
                json.string(receiver)
                json.endObject()
            }
            json.endArray()
            json.key("startsAt")
            json.string(GettableSilence.time(alert.startsAt))
            json.key("status")
            json.beginObject()
            json.key("inhibitedBy")
            json.beginArray()
            for fingerprint in suppression.inhibitedBy { json.string(fingerprint.description) }
            json.endArray()
            json.key("silencedBy")
            json.beginArray()
            for id in suppression.silencedBy { json.string(id) }
            json.endArray()
            json.key("state")
            json.string(suppression.isSuppressed ? "suppressed" : "active")
            json.endObject()
            json.key("updatedAt")
            json.string(GettableSilence.time(now))
            json.key("generatorURL")
            json.string(alert.generatorURL)
            json.key("labels")
            RulesEndpoints.writeLabels(alert.labels, &json)
            json.endObject()
        }
        json.endArray()
        return json.text
    }
}
