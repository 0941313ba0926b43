import AlertEngine
import MetricStore
import NIOCore
import Testing

@testable import ScaleAgent

/// `scalewatch alerts`' output: the table and JSON from a running agent's answers, silenced and
/// inhibited alerts marked, and the "no alerts" case; and the two answers fetched over HTTP
/// from the agent's real endpoints.
@Suite struct AlertsCommandsTests {
    static let now: Int64 = 1_700_003_600_000  // 2023-11-14T23:13:20Z

    static let rulesAnswer = #"""
        {"status":"success","data":{"alerts":[
        {"labels":{"alertname":"PostgresConnectionsNearLimit","severity":"warning","stage":"4-load-balancer"},"annotations":{"summary":"92% of max_connections in use"},"state":"firing","activeAt":"2023-11-14T21:10:20Z","value":"9.2e-01"},
        {"labels":{"alertname":"HostCPUSaturated","severity":"warning","stage":"3-monitoring"},"annotations":{"summary":"CPU 97% busy"},"state":"pending","activeAt":"2023-11-14T23:12:35Z","value":"9.7e-01"},
        {"labels":{"alertname":"HostOOMKill","severity":"critical","stage":"1-single-vm"},"annotations":{"summary":"postgres killed"},"state":"firing","activeAt":"2023-11-12T20:13:20Z","value":"1e+00"},
        {"labels":{"alertname":"HostMemoryAvailableLow","severity":"warning","stage":"1-single-vm"},"annotations":{"summary":"3% available"},"state":"firing","activeAt":"2023-11-14T23:03:20Z","value":"3e-02"}]}}
        """#

    static let notifiedAnswer = #"""
        [{"labels":{"alertname":"PostgresConnectionsNearLimit","severity":"warning","stage":"4-load-balancer","instance":"db1"},"status":{"inhibitedBy":[],"silencedBy":["0b7c"],"state":"suppressed"}},
         {"labels":{"alertname":"HostOOMKill","severity":"critical","stage":"1-single-vm","instance":"db1"},"status":{"inhibitedBy":[],"silencedBy":[],"state":"active"}},
         {"labels":{"alertname":"HostMemoryAvailableLow","severity":"warning","stage":"1-single-vm","instance":"db1"},"status":{"inhibitedBy":["5f1e2d3c4b5a6978"],"silencedBy":[],"state":"suppressed"}}]
        """#

    @Test func tableMarksSilencedAndInhibited() throws {
        let alerts = try ListedAlert.parse(rulesAlerts: Array(Self.rulesAnswer.utf8), notifiedAlerts: Array(Self.notifiedAnswer.utf8))
        #expect(
            AlertsCommands.table(alerts, now: Self.now) == """
                AGE   STATE      SEVERITY  STAGE            ALERT                         SUMMARY
                2d3h  firing     critical  1-single-vm      HostOOMKill                   postgres killed
                2h3m  silenced   warning   4-load-balancer  PostgresConnectionsNearLimit  92% of max_connections in use
                10m   inhibited  warning   1-single-vm      HostMemoryAvailableLow        3% available
                45s   pending    warning   3-monitoring     HostCPUSaturated              CPU 97% busy

                """)
    }

    @Test func jsonCarriesTheState() throws {
        let alerts = try ListedAlert.parse(rulesAlerts: Array(Self.rulesAnswer.utf8), notifiedAlerts: Array(Self.notifiedAnswer.utf8))
        let json = AlertsCommands.json(Array(alerts.prefix(2)))
        #expect(
            json == #"[{"labels":{"alertname":"HostOOMKill","severity":"critical","stage":"1-single-vm"},"annotations":{"summary":"postgres killed"},"#
                + #""state":"firing","activeAt":"2023-11-12T20:13:20Z","silencedBy":[],"inhibitedBy":[]},"#
                + #"{"labels":{"alertname":"PostgresConnectionsNearLimit","severity":"warning","stage":"4-load-balancer"},"#
                + #""annotations":{"summary":"92% of max_connections in use"},"state":"silenced","activeAt":"2023-11-14T21:10:20Z","#
                + #""silencedBy":["0b7c"],"inhibitedBy":[]}]"# + "\n")
    }

    @Test func noAlerts() throws {
        let alerts = try ListedAlert.parse(
            rulesAlerts: Array(#"{"status":"success","data":{"alerts":[]}}"#.utf8), notifiedAlerts: Array("[]".utf8))
        #expect(AlertsCommands.table(alerts, now: Self.now) == "No alerts: nothing is pending or firing.\n")
        #expect(AlertsCommands.json(alerts) == "[]\n")
    }

    @Test func badAnswersAreNamed() {
        #expect(throws: ListedAlert.BadAnswer.self) {
            try ListedAlert.parse(rulesAlerts: Array("<html>".utf8), notifiedAlerts: Array("[]".utf8))
        }
        #expect(throws: ListedAlert.BadAnswer.self) {
            try ListedAlert.parse(rulesAlerts: Array(#"{"status":"success","data":{"alerts":[]}}"#.utf8), notifiedAlerts: Array("{}".utf8))
        }
    }

    @Test func fetchesFromARunningServer() async throws {
        try await APIServerUnderTest.with { server in
            #expect(try await AlertsCommands.fetch(from: "http://127.0.0.1:\(server.port)/").isEmpty)
            let file = try server.directory.write("rules.yml", RulesEndpointsTests.rules)
            server.rules.apply(try RuleCompiler.load(paths: [file], defaultInterval: 15_000), externalLabels: [:])
            for time in RulesEndpointsTests.firingAt { server.rules.evaluateDue(at: time) }
            let id = try server.silences.set(
                Silence(
                    id: "", matchers: [.equal("job", "b")], startsAt: APIServerUnderTest.end, endsAt: APIServerUnderTest.end + 3_600_000,
                    updatedAt: 0, createdBy: "ops", comment: "test"))
            let alerts = try await AlertsCommands.fetch(from: "http://127.0.0.1:\(server.port)")
            #expect(alerts.map(\.displayState) == ["silenced"])
            #expect(alerts.first?.silencedBy == [id])
            #expect(alerts.first?.labels["alertname"] == "TargetDown")
        }
        await #expect(throws: AlertsCommands.Failure.self) { _ = try await AlertsCommands.fetch(from: "http://127.0.0.1:1", timeout: .milliseconds(500)) }
    }

    @Test(arguments: [(nil as String?, "http://127.0.0.1:9470"), ("http://db1:9470/", "http://db1:9470")])
    func agentURL(_ url: String?, _ expected: String) throws {
        guard url != nil || !PosixFileSystem().exists(DataDirectoryResolution.installedConfigFile) else { return }
        #expect(try AlertsCommands.agentURL(url: url, configFile: nil) == expected)
    }
}
