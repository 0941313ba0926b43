import MetricStore
import Testing

@testable import AlertEngine

@Suite struct InhibitRuleTests {
    static let rule = InhibitRule(
        sourceMatchers: try! AlertmanagerMatchers.parse(#"alertname="PostgresDown""#),
        targetMatchers: try! AlertmanagerMatchers.parse(#"signature=~"pg_.*""#), equal: ["server"])

    struct Case: Sendable, CustomTestStringConvertible {
        let name: String
        let target: [String: String]
        let sources: [[String: String]]
        let inhibited: Bool
        var testDescription: String { name }
    }

    @Test(arguments: [
        Case(
            name: "a firing source with the same server mutes the target",
            target: ["alertname": "PgLocks", "signature": "pg_locks", "server": "db1"],
            sources: [["alertname": "PostgresDown", "server": "db1"]], inhibited: true),
        Case(
            name: "another server does not",
            target: ["alertname": "PgLocks", "signature": "pg_locks", "server": "db1"],
            sources: [["alertname": "PostgresDown", "server": "db2"]], inhibited: false),
        Case(
            name: "a label missing on both sides counts as equal",
            target: ["alertname": "PgLocks", "signature": "pg_locks"],
            sources: [["alertname": "PostgresDown"]], inhibited: true),
        Case(
            name: "a target the target matchers refuse is not muted",
            target: ["alertname": "DiskFull", "signature": "disk", "server": "db1"],
            sources: [["alertname": "PostgresDown", "server": "db1"]], inhibited: false),
        Case(
            name: "no source, no muting",
            target: ["alertname": "PgLocks", "signature": "pg_locks", "server": "db1"], sources: [], inhibited: false),
    ])
    func inhibits(_ test: Case) {
        let labels = { (map: [String: String]) in Labels(map.map { Label($0.key, $0.value) }) }
        #expect(Self.rule.inhibits(labels(test.target), firing: test.sources.map(labels)) == test.inhibited)
    }

    @Test func anAlertMatchingBothSidesDoesNotMuteItself() throws {
        let rule = InhibitRule(
            sourceMatchers: try AlertmanagerMatchers.parse(#"severity="critical""#),
            targetMatchers: try AlertmanagerMatchers.parse(#"severity=~"critical|warning""#), equal: ["alertname"])
        let critical = Labels(["alertname": "X", "severity": "critical"])
        let warning = Labels(["alertname": "X", "severity": "warning"])
        #expect(!rule.inhibits(critical, firing: [critical]))
        #expect(rule.inhibits(warning, firing: [critical]))
    }
}
