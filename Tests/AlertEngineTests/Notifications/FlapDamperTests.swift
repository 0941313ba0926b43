import MetricStore
import Testing

@testable import AlertEngine

@Suite struct FlapDamperTests {
    static let minute: Int64 = 60_000

    static func alert(firing: Bool, at time: Int64) -> NotificationAlert {
        NotificationAlert(
            labels: Labels(["alertname": "ListenOverflows"]), annotations: Labels(["summary": "s"]), startsAt: time,
            endsAt: firing ? nil : time, generatorURL: "")
    }

    /// What routing sees at each minute as the alert flaps: "F" firing, "R" resolved, "-" absent,
    /// and "F*" held firing with `flapping`.
    static func run(_ damper: inout FlapDamper, _ inputs: [String]) -> [String] {
        inputs.enumerated().map { minute, input in
            let now = Int64(minute) * Self.minute
            let alerts: [NotificationAlert]
            switch input {
            case "F": alerts = [alert(firing: true, at: now)]
            case "R": alerts = [alert(firing: false, at: now)]
            default: alerts = []
            }
            return damper.apply(alerts, now: now).map { seen in
                (seen.endsAt == nil ? "F" : "R") + (seen.annotations["flapping"] == "true" ? "*" : "")
            }.joined()
        }
    }

    @Test func aStableAlertPassesUnchanged() {
        var damper = FlapDamper(maxChanges: 3, window: 10 * Self.minute)
        #expect(Self.run(&damper, ["F", "F", "R", "-", "F"]) == ["F", "F", "R", "", "F"])
    }

    @Test func aFlappingAlertIsHeldUntilStableForTheWindow() {
        var damper = FlapDamper(maxChanges: 3, window: 5 * Self.minute)
        let seen = Self.run(&damper, ["F", "R", "F", "R", "F", "R", "-", "-", "-", "-", "-", "-", "-"])
        // The fourth change (minute 4) exceeds 3: held from then; the last change is at minute 5
        // (resolved), absent after that counts as not firing; stable from minute 10.
        #expect(seen == ["F", "R", "F", "R", "F*", "F*", "F*", "F*", "F*", "F*", "R*", "", ""])
    }

    @Test func zeroChangesTurnsItOff() {
        var damper = FlapDamper(maxChanges: 0, window: 5 * Self.minute)
        #expect(Self.run(&damper, ["F", "R", "F", "R", "F", "R"]) == ["F", "R", "F", "R", "F", "R"])
    }

    @Test func heldAlertsReachTheReceiverOnce() {
        var damper = FlapDamper(maxChanges: 2, window: 10 * Self.minute)
        var dispatcher = NotificationDispatcher(
            route: NotificationRoute(root: RouteSpec(receiver: "ops", groupWait: 0, groupInterval: Self.minute)),
            receivers: ["ops": [ReceiverIntegration(index: 0)]])
        var sent: [String] = []
        for (minute, firing) in [true, false, true, false, true, false, true, false].enumerated() {
            let now = Int64(minute) * Self.minute
            dispatcher.ingest(damper.apply([Self.alert(firing: firing, at: now)], now: now), now: now)
            sent += dispatcher.flush(now: now).flatMap { $0.alerts.map { $0.resolved ? "resolved" : "firing" } }
        }
        #expect(sent == ["firing", "resolved", "firing"], "two flaps notified, then held")
    }
}
