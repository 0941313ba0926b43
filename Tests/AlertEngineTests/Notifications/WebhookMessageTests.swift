import MetricStore
import Testing

@testable import AlertEngine

@Suite struct WebhookMessageTests {
    /// The shape of Alertmanager's webhook documentation, byte for byte.
    @Test func writesAlertmanagersPayload() {
        let firing = NotificationAlert(
            labels: Labels(["alertname": "HighLoad", "instance": "host-1", "severity": "warning"]),
            annotations: Labels(["summary": "load is \"high\""]), startsAt: 1_765_040_000_000, endsAt: nil,
            generatorURL: NotificationAlert.generatorURL(externalURL: "http://host-1:9470/", expression: "node_load1 > 4"))
        let resolved = NotificationAlert(
            labels: Labels(["alertname": "HighLoad", "instance": "host-2", "severity": "warning"]),
            annotations: Labels(["summary": "other"]), startsAt: 1_765_040_000_000, endsAt: 1_765_040_090_500, generatorURL: "")
        let message = WebhookMessage(
            receiver: "ops", groupKey: #"{}:{alertname="HighLoad"}"#, groupLabels: Labels(["alertname": "HighLoad"]),
            alerts: [firing, resolved], truncatedAlerts: 0, externalURL: "http://host-1:9470", now: 1_765_040_100_000)
        let expected = #"""
            {"receiver":"ops","status":"firing","alerts":[{"status":"firing","labels":{"alertname":"HighLoad","instance":"host-1","severity":"warning"},"annotations":{"summary":"load is \"high\""},"startsAt":"2025-12-06T16:53:20Z","endsAt":"0001-01-01T00:00:00Z","generatorURL":"http://host-1:9470/graph?g0.expr=node_load1+%3E+4&g0.tab=1","fingerprint":"\#(firing.fingerprint)"},{"status":"resolved","labels":{"alertname":"HighLoad","instance":"host-2","severity":"warning"},"annotations":{"summary":"other"},"startsAt":"2025-12-06T16:53:20Z","endsAt":"2025-12-06T16:54:50.5Z","generatorURL":"","fingerprint":"\#(resolved.fingerprint)"}],"groupLabels":{"alertname":"HighLoad"},"commonLabels":{"alertname":"HighLoad","severity":"warning"},"commonAnnotations":{},"externalURL":"http://host-1:9470","version":"4","groupKey":"{}:{alertname=\"HighLoad\"}","truncatedAlerts":0}
            """#
        #expect(message.json == expected)
    }

    @Test func resolvedOnlyWhenEveryAlertIs() {
        let alert = NotificationAlert(labels: Labels(["a": "1"]), annotations: .empty, startsAt: 0, endsAt: 10, generatorURL: "")
        #expect(WebhookMessage(receiver: "r", groupKey: "k", groupLabels: .empty, alerts: [alert], truncatedAlerts: 0, externalURL: "", now: 10).status == "resolved")
        #expect(WebhookMessage(receiver: "r", groupKey: "k", groupLabels: .empty, alerts: [alert], truncatedAlerts: 0, externalURL: "", now: 9).status == "firing")
    }

    @Test func groupKeysPrintLabelsAsGo() {
        #expect(AggregationGroup.goText(Labels(["service": "api", "alertname": "HighErrorRate", "cluster": "aa"]))
            == #"{alertname="HighErrorRate", cluster="aa", service="api"}"#)
        #expect(AggregationGroup.goText(.empty) == "{}")
    }

    @Test func ordersAlertsByJobThenInstanceThenLabels() {
        func alert(_ labels: KeyValuePairs<String, String>) -> NotificationAlert {
            NotificationAlert(labels: Labels(labels), annotations: .empty, startsAt: 0, endsAt: nil, generatorURL: "")
        }
        let sorted = [alert(["a": "1"]), alert(["job": "b"]), alert(["job": "a", "instance": "2"]), alert(["job": "a", "instance": "1"])]
            .sorted(by: NotificationAlert.notificationOrder)
        #expect(sorted.map { "\($0.labels["job"] ?? "-")/\($0.labels["instance"] ?? "-")" } == ["a/1", "a/2", "b/-", "-/-"])
    }
}
