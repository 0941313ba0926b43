import Testing

@testable import ScaleAgent

/// Every duration setting goes through one reader with one range per setting, so `check config`,
/// the start and a reload (all `ConfigLoader`) refuse the same values with the same message.
@Suite struct DurationSettingsTests {
    struct Case: Sendable, CustomTestStringConvertible {
        let yaml: String
        let expected: String
        var testDescription: String { yaml }
    }

    /// The first four once crashed or were accepted and crashed later: `292471208y52w` overflowed
    /// while parsing, `300y` as a stat timeout trapped in the first collection's wait, and
    /// `300000000000h` was accepted as a scrape age.
    static let refused: [Case] = [
        Case(yaml: "collection_interval: 292471208y52w\n", expected: "bad.yml:1:22: collection_interval must be between 1s and 1d, got '292471208y52w'"),
        Case(yaml: "collector_timeout: 292471208y52w\n", expected: "bad.yml:1:20: collector_timeout must be between 1ms and 1h, got '292471208y52w'"),
        Case(yaml: "scrape_max_age: 300000000000h\n", expected: "bad.yml:1:17: scrape_max_age must be between 0s and 1h, got '300000000000h'"),
        Case(yaml: "collectors:\n  filesystem:\n    stat_timeout: 300y\n", expected: "bad.yml:3:19: collectors.filesystem.stat_timeout must be between 1ms and 1h, got '300y'"),
        Case(yaml: "collection_interval: 2d\n", expected: "bad.yml:1:22: collection_interval must be between 1s and 1d, got '2d'"),
        Case(yaml: "scrape_max_age: 61m\n", expected: "bad.yml:1:17: scrape_max_age must be between 0s and 1h, got '61m'"),
        Case(yaml: "evaluation_interval: 9999999999999999999d\n", expected: "bad.yml:1:22: evaluation_interval must be between 1s and 1d, got '9999999999999999999d'"),
        Case(yaml: "storage:\n  retention_time: 101y\n", expected: "bad.yml:2:19: storage.retention_time must be between 1m and 100y, got '101y'"),
        Case(yaml: "storage:\n  wal_flush_interval: 2h\n", expected: "bad.yml:2:23: storage.wal_flush_interval must be between 10ms and 1h, got '2h'"),
        Case(yaml: "collectors:\n  postgres:\n    targets:\n      - {host: a, statement_timeout: 30d}\n", expected: "bad.yml:4:38: collectors.postgres.targets[0].statement_timeout must be between 1ms and 1h, got '30d'"),
        Case(yaml: "collection_interval: 5m1h\n", expected: "bad.yml:1:22: collection_interval must be a duration such as 5m, 1h30m or 500ms, got '5m1h'"),
        Case(yaml: "collector_timeout: 1µs\n", expected: "bad.yml:1:20: collector_timeout must be a duration such as 5m, 1h30m or 500ms, got '1µs'"),
    ]

    @Test(arguments: refused)
    func refusesWithTheRange(_ bad: Case) {
        #expect {
            _ = try ConfigLoader.parse(bad.yaml, file: "bad.yml")
        } throws: { error in
            String(describing: error) == bad.expected
        }
    }

    @Test func acceptsTheBoundsThemselves() throws {
        func parse(_ yaml: String) throws -> AgentConfig { try ConfigLoader.parse(yaml, file: "a.yml") }
        #expect(try parse("collection_interval: 1d\n").collectionInterval == .seconds(86_400))
        #expect(try parse("collection_interval: 1s\n").collectionInterval == .seconds(1))
        #expect(try parse("scrape_max_age: 0\n").scrapeMaxAge == .zero)
        #expect(try parse("scrape_max_age: 1h\n").scrapeMaxAge == .seconds(3_600))
        #expect(try parse("collector_timeout: 1ms\n").collectorTimeout == .milliseconds(1))
        #expect(try parse("storage:\n  retention_time: 100y\n").storage.retentionTime == .seconds(100 * 365 * 86_400))
        #expect(try parse("storage:\n  retention_time: 2w3d\n").storage.retentionTime == .seconds(17 * 86_400))
        #expect(try parse("collectors:\n  filesystem:\n    stat_timeout: 1h\n").collectors.filesystemStatTimeout == .seconds(3_600))
    }
}
