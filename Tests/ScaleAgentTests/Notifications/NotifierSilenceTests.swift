import AlertEngine
import Logging
import MetricStore
import Testing
import TestSupport

@testable import ScaleAgent

/// The notifier service with a real silence store and a test receiver: a silence stops the
/// delivery of the alert it matches; expiring it lets the next flush through.
@Suite(.serialized) struct NotifierSilenceTests {
    @Test func aSilenceStopsDeliveryAndExpiringItLetsItThrough() async throws {
        let directory = TestDirectory(prefix: "notifier-silence")
        defer { directory.remove() }
        let receiver = TestHTTPReceiver()
        try await receiver.start()
        let alerts = NotifierTests.Alerts()
        alerts.set([NotifierTests.firing("Muted", at: UnixTime.nowMilliseconds())])
        let silences = SilenceStore(directory: directory.path, logger: Logger(label: "test"))
        let now = UnixTime.nowMilliseconds()
        let id = try silences.set(
            Silence(
                id: "", matchers: [.equal("alertname", "Muted")], startsAt: now, endsAt: now + 3_600_000, updatedAt: 0, createdBy: "ops",
                comment: "test"))
        let notifier = Notifier(
            configuration: try NotifierTests.configuration(url: receiver.url), dataDirectory: directory.path,
            alerts: { alerts.current }, logger: Logger(label: "test"),
            retry: RetryPolicy(initial: .milliseconds(100), maximum: .milliseconds(200)), tick: 50, silences: silences)
        notifier.open()
        let running = Task { await notifier.run() }
        // group_wait 0s, group_interval 1s: without the silence it would have gone at once.
        try await Task.sleep(for: .milliseconds(2500))
        #expect(receiver.requests.isEmpty, "silenced")
        #expect(notifier.listedAlerts(at: UnixTime.nowMilliseconds()).map(\.suppression.silencedBy) == [[id]])

        try silences.expire(id: id)
        #expect(await NotifierTests.eventually { receiver.requests.count == 1 })
        #expect(receiver.requests.first?.body.contains(#""alertname":"Muted""#) == true)
        running.cancel()
        await running.value
        await notifier.stop()
        await receiver.stop()
    }
}
