import AlertEngine
import MetricStore
import TestSupport
import Testing

@testable import ScaleAgent

/// `rule_files` and `disabled_alerts` as the agent and `check config` load them: the disabled
/// alerts are left out, their names checked against what the files define.
@Suite struct AgentRuleFilesTests {
    static let rules = """
        groups:
          - name: host
            rules:
              - record: host:busy:ratio
                expr: vector(0.5)
              - alert: HostBusy
                expr: host:busy:ratio > 0.9
              - alert: HostIdle
                expr: host:busy:ratio < 0.1
          - name: db
            rules:
              - alert: DatabaseDown
                expr: vector(1)
        """

    /// Writes the rule file and a config naming it; returns the config's path.
    private func configFile(in directory: TestDirectory, _ config: String) throws -> String {
        try directory.write("rules/pack.yml", Self.rules)
        return try directory.write("agent.yml", config)
    }

    private func load(_ file: String) throws -> [CompiledRuleGroup] {
        let config = try ConfigLoader.load(file: file)
        return try AgentRuleFiles.load(config.rules, configFile: file)
    }

    @Test func disabledAlertsAreLeftOutAndTheRestKept() throws {
        let directory = TestDirectory(prefix: "agent-rule-files")
        defer { directory.remove() }
        let file = try configFile(in: directory, "rule_files: [rules/*.yml]\ndisabled_alerts: [HostBusy, DatabaseDown]\n")
        let groups = try load(file)
        #expect(groups.map(\.name) == ["host", "db"])
        #expect(groups[0].rules.map(\.name) == ["host:busy:ratio", "HostIdle"])
        #expect(groups[1].rules.isEmpty)
    }

    @Test func withoutDisabledAlertsEveryRuleIsKept() throws {
        let directory = TestDirectory(prefix: "agent-rule-files")
        defer { directory.remove() }
        let groups = try load(try configFile(in: directory, "rule_files: [rules/*.yml]\n"))
        #expect(groups.flatMap { $0.rules.map(\.name) } == ["host:busy:ratio", "HostBusy", "HostIdle", "DatabaseDown"])
    }

    struct Refusal: Sendable, CustomTestStringConvertible {
        let config: String
        let expected: String
        var testDescription: String { expected }
    }

    /// Each message is where the name was written, as `check config` prints it.
    static let refusals: [Refusal] = [
        Refusal(
            config: "rule_files: [rules/*.yml]\ndisabled_alerts:\n  - HostIdle\n  - HostBussy\n",
            expected: "agent.yml:4:5: disabled_alerts: no rule file defines an alert named \"HostBussy\""),
        // A recording rule is not an alert.
        Refusal(
            config: "rule_files: [rules/*.yml]\ndisabled_alerts: ['host:busy:ratio']\n",
            expected: "agent.yml:2:19: disabled_alerts: no rule file defines an alert named \"host:busy:ratio\""),
        // Nothing loaded, nothing to disable.
        Refusal(
            config: "disabled_alerts: [HostBusy]\n",
            expected: "agent.yml:1:19: disabled_alerts: no rule file defines an alert named \"HostBusy\""),
        Refusal(
            config: "rule_files: [rules/*.yml]\ndisabled_alerts: HostBusy\n",
            expected: "agent.yml:2:18: disabled_alerts must be a list of alert names, got 'HostBusy'"),
        Refusal(
            config: "rule_files: [rules/*.yml]\ndisabled_alerts: [HostBusy, HostIdle, HostBusy]\n",
            expected: "agent.yml:2:39: disabled_alerts: \"HostBusy\" appears twice, first at line 2"),
        Refusal(
            config: "rule_files: [rules/*.yml]\ndisabled_alerts: ['']\n",
            expected: "agent.yml:2:19: disabled_alerts: an alert name must not be empty"),
    ]

    @Test(arguments: refusals)
    func refusesWhereTheNameIsWritten(_ refusal: Refusal) throws {
        let directory = TestDirectory(prefix: "agent-rule-files")
        defer { directory.remove() }
        let file = try configFile(in: directory, refusal.config)
        var message = ""
        do {
            _ = try load(file)
        } catch let error as ConfigError {
            message = error.description
        } catch let error as AgentRuleFiles.LoadError {
            message = error.description
        }
        #expect(message == directory.path + "/" + refusal.expected)
    }

    /// A plain path is a file the operator means; a glob may match nothing yet (Prometheus
    /// only warns about that).
    @Test func aMissingLiteralRuleFileIsRefusedAndAnEmptyGlobIsNot() throws {
        let directory = TestDirectory(prefix: "agent-rule-files")
        defer { directory.remove() }
        let file = try configFile(in: directory, "rule_files: [rules/*.yml, rules/pak.yml]\n")
        #expect(throws: AgentRuleFiles.LoadError.self) { try load(file) }
        do {
            _ = try load(file)
        } catch let error as AgentRuleFiles.LoadError {
            #expect(error.description == "\(file): rule_files: \(directory.path)/rules/pak.yml does not exist (a path without * ? [ must name a file)")
        }
        let globs = try configFile(in: directory, "rule_files: [rules/*.yml, extra/*.yml, extra/rule?.yaml]\n")
        #expect(try load(globs).count == 2)
    }

    /// The shipped config turns the shipped pack on, relative to itself, as `make run` and an
    /// installed /etc/scalewatch/agent.yml load it; disabling one of its alerts works.
    @Test func shippedConfigLoadsTheShippedPack() throws {
        let file = RepositoryPaths.file("config/agent.yml")
        let groups = try load(file)
        let alerts = groups.flatMap { $0.rules.filter { $0.kind == .alerting } }
        #expect(alerts.count >= 40)
        #expect(alerts.contains { $0.name == "Watchdog" })
        for alert in alerts {
            #expect(["stage", "severity", "signature"].allSatisfy { alert.labels[$0] != nil }, "\(alert.name)")
        }

        var settings = try ConfigLoader.load(file: file).rules
        settings.disabledAlerts = [.init(name: "Watchdog", location: SourceLocation(file: file, line: 1, column: 1))]
        let without = try AgentRuleFiles.load(settings, configFile: file).flatMap { $0.rules.filter { $0.kind == .alerting } }
        #expect(without.count == alerts.count - 1)
        #expect(!without.contains { $0.name == "Watchdog" })
    }
}
