import MetricStore
import Testing

@testable import AlertEngine

/// The dispatcher driven by hand: each test passes the times, as Alertmanager's timers would
/// fire them, and checks what would be sent.
@Suite struct NotificationDispatcherTests {
    static let minute: Int64 = 60_000

    static func alert(_ labels: KeyValuePairs<String, String>, startsAt: Int64 = 0, endsAt: Int64? = nil) -> NotificationAlert {
        NotificationAlert(labels: Labels(labels), annotations: .empty, startsAt: startsAt, endsAt: endsAt, generatorURL: "")
    }

    static func dispatcher(
        sendResolved: Bool = true, maxAlerts: Int = 0, inhibitRules: [InhibitRule] = [], log: NotificationLog = NotificationLog()
    ) -> NotificationDispatcher {
        NotificationDispatcher(
            route: NotificationRoute(root: RouteSpec(receiver: "ops", grouping: .labels(["alertname"]))),
            inhibitRules: inhibitRules,
            receivers: ["ops": [ReceiverIntegration(index: 0, sendResolved: sendResolved, maxAlerts: maxAlerts)]],
            externalURL: "http://h:9470", log: log)
    }

    /// Each sent notification's alerts as "instance:status".
    static func summary(_ notifications: [Notification]) -> [[String]] {
        notifications.map { $0.alerts.map { "\($0.labels["instance"] ?? ""):\($0.resolved ? "resolved" : "firing")" } }
    }

    @Test func groupWaitThenGroupIntervalThenRepeat() {
        var dispatcher = Self.dispatcher()
        let a1 = Self.alert(["alertname": "A", "instance": "1"])
        dispatcher.ingest([a1], now: 0)
        #expect(dispatcher.flush(now: 0).isEmpty)
        #expect(dispatcher.nextFlush == 30_000)
        #expect(dispatcher.flush(now: 29_999).isEmpty)
        #expect(Self.summary(dispatcher.flush(now: 30_000)) == [["1:firing"]])

        let a2 = Self.alert(["alertname": "A", "instance": "2"], startsAt: Self.minute)
        dispatcher.ingest([a1, a2], now: Self.minute)
        #expect(dispatcher.flush(now: Self.minute).isEmpty, "a new alert waits for the group's interval")
        #expect(dispatcher.nextFlush == 30_000 + 5 * Self.minute)
        #expect(Self.summary(dispatcher.flush(now: 30_000 + 5 * Self.minute)) == [["1:firing", "2:firing"]])

        var resolved = a1
        resolved.endsAt = 7 * Self.minute
        dispatcher.ingest([resolved, a2], now: 7 * Self.minute)
        let third = dispatcher.flush(now: 30_000 + 10 * Self.minute)
        #expect(Self.summary(third) == [["1:resolved", "2:firing"]])
        #expect(third.first?.body.contains(#""status":"firing""#) == true)

        dispatcher.ingest([resolved, a2], now: 12 * Self.minute)
        #expect(dispatcher.flush(now: 30_000 + 15 * Self.minute).isEmpty, "nothing changed")
        let repeatAt = 30_000 + 10 * Self.minute + 4 * 60 * Self.minute
        dispatcher.ingest([a2], now: repeatAt)
        #expect(dispatcher.flush(now: repeatAt - 1).isEmpty)
        // Flushes come every group_interval; the first one past repeat_interval repeats.
        let due = dispatcher.nextFlush!
        #expect(Self.summary(dispatcher.flush(now: max(due, repeatAt + 5 * Self.minute))) == [["2:firing"]])
    }

    @Test func anAlertOlderThanGroupWaitIsFlushedAtOnce() {
        var dispatcher = Self.dispatcher()
        dispatcher.ingest([Self.alert(["alertname": "A", "instance": "1"], startsAt: 0)], now: Self.minute)
        #expect(Self.summary(dispatcher.flush(now: Self.minute)) == [["1:firing"]])
    }

    @Test func everythingResolvedIsSentOnceThenTheGroupEnds() {
        var dispatcher = Self.dispatcher()
        let a1 = Self.alert(["alertname": "A", "instance": "1"])
        dispatcher.ingest([a1], now: 0)
        _ = dispatcher.flush(now: 30_000)
        var resolved = a1
        resolved.endsAt = Self.minute
        dispatcher.ingest([resolved], now: Self.minute)
        let sent = dispatcher.flush(now: 30_000 + 5 * Self.minute)
        #expect(Self.summary(sent) == [["1:resolved"]])
        #expect(sent.first?.body.contains(#""status":"resolved""#) == true)
        #expect(dispatcher.groupCount == 0)
        // The rule engine keeps reporting the resolved alert for a while: nothing more is sent.
        dispatcher.ingest([resolved], now: 6 * Self.minute)
        #expect(dispatcher.flush(now: 20 * Self.minute).isEmpty)
    }

    @Test func withoutSendResolvedAResolutionIsNotSent() {
        var dispatcher = Self.dispatcher(sendResolved: false)
        let a1 = Self.alert(["alertname": "A", "instance": "1"])
        let a2 = Self.alert(["alertname": "A", "instance": "2"])
        dispatcher.ingest([a1, a2], now: 0)
        #expect(Self.summary(dispatcher.flush(now: 30_000)) == [["1:firing", "2:firing"]])
        var resolved = a1
        resolved.endsAt = Self.minute
        dispatcher.ingest([resolved, a2], now: Self.minute)
        #expect(dispatcher.flush(now: 30_000 + 5 * Self.minute).isEmpty)
    }

    @Test func anAlertThatVanishesWhileFiringIsResolved() {
        var dispatcher = Self.dispatcher()
        dispatcher.ingest([Self.alert(["alertname": "A", "instance": "1"])], now: 0)
        _ = dispatcher.flush(now: 30_000)
        dispatcher.ingest([], now: Self.minute)
        #expect(Self.summary(dispatcher.flush(now: 30_000 + 5 * Self.minute)) == [["1:resolved"]])
    }

    @Test func maxAlertsTruncatesAndCounts() {
        var dispatcher = Self.dispatcher(maxAlerts: 2)
        dispatcher.ingest((1...3).map { Self.alert(["alertname": "A", "instance": "\($0)"]) }, now: 0)
        let sent = dispatcher.flush(now: 30_000)
        #expect(Self.summary(sent) == [["1:firing", "2:firing"]])
        #expect(sent.first?.body.hasSuffix(#""truncatedAlerts":1}"#) == true)
    }

    @Test func aRestartWithTheLogSendsNoSecondFiringNotification() {
        var before = Self.dispatcher()
        let a1 = Self.alert(["alertname": "A", "instance": "1"])
        before.ingest([a1], now: 0)
        #expect(before.flush(now: 30_000).count == 1)
        var after = Self.dispatcher(log: before.log)
        var refired = a1
        refired.startsAt = Self.minute  // the rule fired again after the restart
        after.ingest([refired], now: Self.minute)
        #expect(after.flush(now: Self.minute + 30_000).isEmpty)
        #expect(after.flush(now: Self.minute + 30_000 + 5 * Self.minute).isEmpty)
    }

    /// The alert resolved while the agent was down: the restarted agent first sees it
    /// resolved, owes the resolution (the log says firing was the last word), and takes the
    /// next firing for a new one.
    @Test func aResolutionWhileDownIsSentAfterTheRestartAndTheNextFiringToo() {
        var before = Self.dispatcher()
        let a1 = Self.alert(["alertname": "A", "instance": "1"])
        before.ingest([a1], now: 0)
        #expect(before.flush(now: 30_000).count == 1)
        var after = Self.dispatcher(log: before.log)
        var resolved = a1
        resolved.endsAt = Self.minute
        after.ingest([resolved], now: Self.minute)
        after.ingest([resolved], now: Self.minute + 15_000)
        #expect(Self.summary(after.flush(now: Self.minute + 30_000)) == [["1:resolved"]])
        var refired = a1
        refired.startsAt = 3 * Self.minute
        after.ingest([refired], now: 3 * Self.minute)
        #expect(Self.summary(after.flush(now: 9 * Self.minute)) == [["1:firing"]])
        // One never notified firing is not routed when first seen resolved.
        var fresh = Self.dispatcher()
        fresh.ingest([resolved], now: Self.minute)
        #expect(fresh.flush(now: 10 * Self.minute).isEmpty)
    }

    @Test func inhibitedAlertsAreLeftOut() throws {
        let rule = InhibitRule(
            sourceMatchers: try AlertmanagerMatchers.parse(#"alertname="PostgresDown""#),
            targetMatchers: try AlertmanagerMatchers.parse(#"alertname="PgLocks""#), equal: ["server"])
        var dispatcher = Self.dispatcher(inhibitRules: [rule])
        dispatcher.ingest(
            [
                Self.alert(["alertname": "PostgresDown", "server": "db1", "instance": "x"]),
                Self.alert(["alertname": "PgLocks", "server": "db1", "instance": "y"]),
                Self.alert(["alertname": "PgLocks", "server": "db2", "instance": "z"]),
            ], now: 0)
        let sent = dispatcher.flush(now: 30_000)
        #expect(Set(Self.summary(sent)) == [["x:firing"], ["z:firing"]])
    }

    @Test func aReloadKeepsGroupsAndTheirTimers() {
        var dispatcher = Self.dispatcher()
        dispatcher.ingest([Self.alert(["alertname": "A", "instance": "1"])], now: 0)
        _ = dispatcher.flush(now: 30_000)
        dispatcher.reconfigure(
            route: NotificationRoute(root: RouteSpec(receiver: "ops", grouping: .labels(["alertname"]), groupInterval: 60_000)),
            inhibitRules: [], receivers: ["ops": [ReceiverIntegration(index: 0)]], externalURL: "")
        #expect(dispatcher.groupCount == 1)
        #expect(dispatcher.nextFlush == 30_000 + 5 * Self.minute, "the running timer is kept; the new interval applies after it")
        #expect(dispatcher.flush(now: 30_000 + 5 * Self.minute).isEmpty, "and nothing is sent again")
    }

    @Test func theIdempotencyKeyIsStablePerNotification() {
        var first = Self.dispatcher()
        var second = Self.dispatcher()
        let alert = Self.alert(["alertname": "A", "instance": "1"])
        first.ingest([alert], now: 0)
        second.ingest([alert], now: 0)
        let a = first.flush(now: 30_000), b = second.flush(now: 30_000)
        #expect(a.first?.idempotencyKey == b.first?.idempotencyKey)
        second.ingest([alert, Self.alert(["alertname": "A", "instance": "2"])], now: 0)
        #expect(second.flush(now: 30_000 + 5 * Self.minute).first?.idempotencyKey != a.first?.idempotencyKey)
    }
}
