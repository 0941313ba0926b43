import AlertEngine
import Logging
import MetricStore
import Testing
import TestSupport

@testable import ScaleAgent

/// What `/api/v2/alerts` lists, from a real notifier with an inhibit rule and a real silence
/// store: each alert's receivers and whether a silence or a firing alert holds it back, in
/// Alertmanager's JSON.
@Suite struct NotifierSuppressionTests {
    static let now: Int64 = 1_800_000_000_000

    static func alert(_ name: String, _ severity: String) -> AlertSnapshot {
        AlertSnapshot(
            rule: name, labels: Labels(["alertname": name, "severity": severity]), annotations: Labels(["summary": name]),
            state: .firing, value: 1, activeAt: now - 60_000, firedAt: now, resolvedAt: nil, expression: "vector(1)")
    }

    @Test func silencedAndInhibitedAreMarked() async throws {
        let directory = TestDirectory(prefix: "suppression")
        defer { directory.remove() }
        let config = try ConfigLoader.parse(
            """
            alerting:
              route: {receiver: hook, group_by: [alertname]}
              receivers: [{name: hook, webhook_configs: [{url: 'http://127.0.0.1:1/'}]}]
              inhibit_rules: [{source_matchers: ['severity="critical"'], target_matchers: ['severity="warning"']}]
            """, file: "agent.yml")
        let silences = SilenceStore(directory: directory.path, logger: Logger(label: "test"), now: { Self.now })
        let id = try silences.set(
            Silence(
                id: "", matchers: [.equal("alertname", "Muted")], startsAt: Self.now - 1, endsAt: Self.now + 3_600_000, updatedAt: 0,
                createdBy: "ops", comment: "test"))
        let notifier = Notifier(
            configuration: NotifierConfiguration(config, hostname: "h"), dataDirectory: directory.path,
            alerts: { [Self.alert("Down", "critical"), Self.alert("Slow", "warning"), Self.alert("Muted", "page")] },
            logger: Logger(label: "test"), now: { Self.now }, silences: silences)
        notifier.open()
        let listed = notifier.listedAlerts(at: Self.now)
        #expect(listed.map { $0.alert.labels["alertname"] } == ["Down", "Muted", "Slow"])
        #expect(listed.map(\.receivers) == [["hook"], ["hook"], ["hook"]])
        #expect(listed.map(\.suppression.silencedBy) == [[], [id], []])
        #expect(listed.map(\.suppression.inhibitedBy) == [[], [], [listed[0].alert.fingerprint]])

        let body = AlertmanagerAlertsEndpoint.body(listed, now: Self.now)
        let down = listed[0].alert
        #expect(
            body.hasPrefix(
                #"[{"annotations":{"summary":"Down"},"fingerprint":"\#(down.fingerprint)","receivers":[{"name":"hook"}],"#
                    + #""startsAt":"2027-01-15T08:00:00.000Z","status":{"inhibitedBy":[],"silencedBy":[],"state":"active"},"#
                    + #""updatedAt":"2027-01-15T08:00:00.000Z","generatorURL":"\#(down.generatorURL)","labels":{"#))
        #expect(body.contains(#""status":{"inhibitedBy":[],"silencedBy":["\#(id)"],"state":"suppressed"}"#))
        #expect(body.contains(#""status":{"inhibitedBy":["\#(down.fingerprint)"],"silencedBy":[],"state":"suppressed"}"#))
        await notifier.stop()
    }
}
