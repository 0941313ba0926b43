import AlertEngine
import Logging
import MetricStore
import Testing
import TestSupport

@testable import ScaleAgent

/// The notifier service end to end, in process: alerts from a stand-in for the rule scheduler's
/// list, delivery over HTTP to a test receiver, the outbox in a real directory.
@Suite(.serialized) struct NotifierTests {
    final class Alerts: Sendable {
        let list = Locked<[AlertSnapshot]>([])
        func set(_ alerts: [AlertSnapshot]) { list.withLock { $0 = alerts } }
        var current: [AlertSnapshot] { list.withLock { $0 } }
    }

    static func firing(_ name: String, at time: Int64) -> AlertSnapshot {
        AlertSnapshot(
            rule: name, labels: Labels(["alertname": name, "severity": "page"]), annotations: Labels(["summary": "s"]),
            state: .firing, value: 1, activeAt: time, firedAt: time, resolvedAt: nil, expression: "vector(1)")
    }

    static func configuration(url: String) throws -> NotifierConfiguration {
        var config = try ConfigLoader.parse(
            """
            alerting:
              route: {receiver: hook, group_by: [alertname], group_wait: 0s, group_interval: 1s}
              receivers: [{name: hook, webhook_configs: [{url: '\(url)', timeout: 1s}]}]
            """, file: "agent.yml")
        config.rules.externalLabels = ["cluster": "test"]
        return NotifierConfiguration(config, hostname: "test-host")
    }

    static func notifier(_ configuration: NotifierConfiguration, directory: TestDirectory, alerts: Alerts) -> Notifier {
        Notifier(
            configuration: configuration, dataDirectory: directory.path, alerts: { alerts.current },
            logger: Logger(label: "test"), retry: RetryPolicy(initial: .milliseconds(100), maximum: .milliseconds(200)), tick: 50)
    }

    static func eventually(_ condition: () -> Bool) async -> Bool {
        for _ in 0..<100 where !condition() { try? await Task.sleep(for: .milliseconds(50)) }
        return condition()
    }

    @Test func deliversAFiringAlertWithTheExternalLabels() async throws {
        let directory = TestDirectory(prefix: "notifier")
        defer { directory.remove() }
        let receiver = TestHTTPReceiver()
        try await receiver.start()
        let alerts = Alerts()
        alerts.set([Self.firing("Up", at: UnixTime.nowMilliseconds())])
        let notifier = Self.notifier(try Self.configuration(url: receiver.url), directory: directory, alerts: alerts)
        notifier.open()
        let running = Task { await notifier.run() }
        #expect(await Self.eventually { !receiver.requests.isEmpty })
        let body = try #require(receiver.requests.first?.body)
        #expect(body.contains(#""labels":{"alertname":"Up","cluster":"test","instance":"test-host","severity":"page"}"#))
        #expect(body.contains(#""generatorURL":"http://test-host:9470/graph?g0.expr=vector%281%29&g0.tab=1""#))
        running.cancel()
        await running.value
        await notifier.stop()
        await receiver.stop()
        var metrics = MetricsBuilder()
        notifier.report(into: &metrics)
        #expect(metrics.build().contains { $0.name == "scalewatch_notifications_total" })
    }

    @Test func aNotificationQueuedWhileTheReceiverIsDownIsDeliveredOnceAfterARestart() async throws {
        let directory = TestDirectory(prefix: "notifier")
        defer { directory.remove() }
        let receiver = TestHTTPReceiver()
        let port = try await receiver.start()
        await receiver.stop()
        let url = "http://127.0.0.1:\(port)/alerts"
        let alerts = Alerts()
        alerts.set([Self.firing("Down", at: UnixTime.nowMilliseconds())])

        let first = Self.notifier(try Self.configuration(url: url), directory: directory, alerts: alerts)
        first.open()
        let running = Task { await first.run() }
        let stateFile = NotificationOutbox(directory: directory.path)
        #expect(await Self.eventually { ((try? stateFile.load())?.queue.count ?? 0) == 1 })
        running.cancel()
        await running.value
        await first.stop()
        #expect(try stateFile.load().queue.count == 1, "the stop keeps the undelivered notification")

        try await receiver.start(port: port)
        let second = Self.notifier(try Self.configuration(url: url), directory: directory, alerts: alerts)
        second.open()
        let again = Task { await second.run() }
        #expect(await Self.eventually { receiver.requests.count == 1 })
        try await Task.sleep(for: .milliseconds(1500))
        again.cancel()
        await again.value
        await second.stop()
        #expect(receiver.requests.count == 1, "delivered once, and the log keeps the restart from deciding it again")
        #expect(try stateFile.load().queue.isEmpty)
        await receiver.stop()
    }

    @Test func aReloadKeepsQueuedNotifications() async throws {
        let directory = TestDirectory(prefix: "notifier")
        defer { directory.remove() }
        let receiver = TestHTTPReceiver()
        try await receiver.start()
        receiver.answer([], otherwise: .status(503))
        let alerts = Alerts()
        alerts.set([Self.firing("Flaky", at: UnixTime.nowMilliseconds())])
        let notifier = Self.notifier(try Self.configuration(url: receiver.url), directory: directory, alerts: alerts)
        notifier.open()
        let running = Task { await notifier.run() }
        #expect(await Self.eventually { receiver.requests.count >= 2 })
        var changed = try Self.configuration(url: receiver.url)
        changed.externalURL = "http://elsewhere:1"
        notifier.apply(changed)
        receiver.answer([], otherwise: .status(200))
        #expect(await Self.eventually { (try? NotificationOutbox(directory: directory.path).load().queue.isEmpty) == true })
        running.cancel()
        await running.value
        await notifier.stop()
        let keys = Set(receiver.requests.compactMap { $0.header("Idempotency-Key") })
        #expect(keys.count == 1, "every attempt carried the same key")
        await receiver.stop()
    }

    /// Driven step by step: a reload that removes the route and one that brings it back keep
    /// the notification log, so the alert is not notified a second time.
    @Test func aReloadWithoutARouteKeepsTheLog() async throws {
        let directory = TestDirectory(prefix: "notifier")
        defer { directory.remove() }
        let alerts = Alerts()
        let start = UnixTime.nowMilliseconds()
        alerts.set([Self.firing("Kept", at: start)])
        let withRoute = try Self.configuration(url: "http://127.0.0.1:1/alerts")
        var withoutRoute = withRoute
        withoutRoute.alerting.route = nil
        let notifier = Self.notifier(withRoute, directory: directory, alerts: alerts)
        notifier.open()
        notifier.decide(at: start)
        await notifier.saveIfChanged()
        let stateFile = NotificationOutbox(directory: directory.path)
        #expect(try stateFile.load().queue.count == 1)

        notifier.apply(withoutRoute)
        notifier.decide(at: start + 1_000)
        await notifier.stop()
        #expect(try stateFile.load().log.entries.count == 1, "saved without a route, the log is still there")

        let again = Self.notifier(withoutRoute, directory: directory, alerts: alerts)
        again.open()
        again.apply(withRoute)
        again.decide(at: start + 2_000)
        again.decide(at: start + 3_000)
        await again.stop()
        #expect(try stateFile.load().queue.count == 1, "nothing decided twice")
    }

    @Test func aHungReceiverGetsAFewRequestsAtATimeNotTheBacklog() async throws {
        let directory = TestDirectory(prefix: "notifier")
        defer { directory.remove() }
        let receiver = TestHTTPReceiver()
        try await receiver.start()
        receiver.answer([], otherwise: .hang)
        let alerts = Alerts()
        let now = UnixTime.nowMilliseconds()
        alerts.set((1...10).map { Self.firing("Group\($0)", at: now) })
        let notifier = Self.notifier(try Self.configuration(url: receiver.url), directory: directory, alerts: alerts)
        notifier.open()
        let running = Task { await notifier.run() }
        #expect(await Self.eventually { receiver.requests.count >= Notifier.maxInFlightPerIntegration })
        try await Task.sleep(for: .milliseconds(400))
        #expect(receiver.requests.count == Notifier.maxInFlightPerIntegration)
        running.cancel()
        await running.value
        await notifier.stop()
        #expect(try NotificationOutbox(directory: directory.path).load().queue.count == 10, "all ten still queued")
        await receiver.stop()
    }
    /// Decided during an outage: firing, resolved, firing again, all in one group. The oldest
    /// one's first attempt fails and backs off; the newer ones, already due, must wait for it,
    /// so the receiver sees them in the order they were decided.
    @Test func aGroupsNotificationsArriveInTheOrderTheyWereDecided() async throws {
        let directory = TestDirectory(prefix: "notifier")
        defer { directory.remove() }
        let receiver = TestHTTPReceiver()
        try await receiver.start()
        receiver.answer([.status(503)])
        let alerts = Alerts()
        let start = UnixTime.nowMilliseconds() - 10_000
        let notifier = Self.notifier(try Self.configuration(url: receiver.url), directory: directory, alerts: alerts)
        notifier.open()
        let firing = Self.firing("Flip", at: start)
        alerts.set([firing])
        notifier.decide(at: start)
        alerts.set([
            AlertSnapshot(
                rule: "Flip", labels: firing.labels, annotations: firing.annotations, state: .inactive, value: 0,
                activeAt: start, firedAt: start, resolvedAt: start + 1_000, expression: firing.expression)
        ])
        notifier.decide(at: start + 1_000)
        alerts.set([Self.firing("Flip", at: start + 2_000)])
        notifier.decide(at: start + 2_000)
        await notifier.saveIfChanged()
        #expect(try NotificationOutbox(directory: directory.path).load().queue.count == 3)

        let running = Task { await notifier.run() }
        #expect(await Self.eventually { receiver.requests.count >= 4 })
        try await Task.sleep(for: .milliseconds(300))
        running.cancel()
        await running.value
        await notifier.stop()
        await receiver.stop()
        let seen = receiver.requests.map { $0.body.contains(#""status":"resolved""#) ? "resolved" : "firing" }
        #expect(seen == ["firing", "firing", "resolved", "firing"], "the failed first attempt, then the three in order")
        let keys = receiver.requests.compactMap { $0.header("Idempotency-Key") }
        #expect(keys.count == 4 && keys[0] == keys[1] && Set(keys).count == 3)
    }
    /// Forty notifications queued during an outage, the receiver back: they go out as fast as
    /// it answers, not a few per pass of the notifier's loop (whose tick here is 5 s).
    @Test func aBacklogDrainsAtTheReceiversPaceNotPerTick() async throws {
        let directory = TestDirectory(prefix: "notifier")
        defer { directory.remove() }
        let receiver = TestHTTPReceiver()
        try await receiver.start()
        let alerts = Alerts()
        let start = UnixTime.nowMilliseconds()
        alerts.set((1...40).map { Self.firing("Backlog\($0)", at: start) })
        let notifier = Notifier(
            configuration: try Self.configuration(url: receiver.url), dataDirectory: directory.path, alerts: { alerts.current },
            logger: Logger(label: "test"), tick: 5_000)
        notifier.open()
        notifier.decide(at: start)
        let running = Task { await notifier.run() }
        let began = ContinuousClock.now
        #expect(await Self.eventually { receiver.requests.count == 40 })
        #expect(ContinuousClock.now - began < .milliseconds(2_500), "not one pass per group_interval (1 s) with 4 at a time")
        running.cancel()
        await running.value
        await notifier.stop()
        await receiver.stop()
    }
}
