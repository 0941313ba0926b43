import MetricStore
import Testing

@testable import AlertEngine

/// Prometheus' send rules for Alertmanager (rules/alerting.go `needsSending`, `sendAlerts`).
@Suite struct AlertmanagerPushTests {
    static func alert(endsAt: Int64? = nil) -> NotificationAlert {
        NotificationAlert(labels: Labels(["alertname": "A"]), annotations: .empty, startsAt: 0, endsAt: endsAt, generatorURL: "g")
    }

    @Test func firingIsSentAtOnceThenAfterEachResendDelay() {
        var push = AlertmanagerPush(resendDelay: 60_000, evaluationInterval: 15_000)
        let first = push.due([Self.alert()], now: 1_000)
        #expect(first.map(\.endsAt) == [1_000 + 240_000], "valid for four resend delays")
        #expect(push.due([Self.alert()], now: 30_000).isEmpty)
        #expect(push.due([Self.alert()], now: 61_000).isEmpty, "not before the delay has passed")
        #expect(push.due([Self.alert()], now: 61_001).count == 1)
    }

    @Test func theEvaluationIntervalWinsWhenLonger() {
        var push = AlertmanagerPush(resendDelay: 60_000, evaluationInterval: 120_000)
        #expect(push.due([Self.alert()], now: 0).first?.endsAt == 480_000)
    }

    @Test func aResolutionIsSentAtOnceWithItsTime() {
        var push = AlertmanagerPush(resendDelay: 60_000, evaluationInterval: 15_000)
        _ = push.due([Self.alert()], now: 0)
        let resolved = push.due([Self.alert(endsAt: 10_000)], now: 10_000)
        #expect(resolved.map(\.endsAt) == [10_000])
        #expect(push.due([Self.alert(endsAt: 10_000)], now: 20_000).isEmpty)
    }

    @Test func writesPostableAlerts() {
        #expect(AlertmanagerPush.body([Self.alert(endsAt: 1_500)]) == #"[{"labels":{"alertname":"A"},"annotations":{},"startsAt":"1970-01-01T00:00:00Z","endsAt":"1970-01-01T00:00:01.5Z","generatorURL":"g"}]"#)
    }
}
