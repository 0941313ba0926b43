import Testing

@testable import ScaleAgent

/// The `query:` section: every key read, impossible values refused with file:line:column, and
/// `--query.lookback-delta` winning over the file.
@Suite struct QuerySettingsTests {
    @Test func everyKeyIsRead() throws {
        let yaml = """
            query:
              max_samples: 20000
              timeout: 10s
              max_concurrency: 2
              max_queued: 5
              max_series: 300
              lookback_delta: 1m
              log_slow_queries_over: 2s
            """
        let query = try ConfigLoader.parse(yaml, file: "a.yml").query
        #expect(query.maxSamples == 20_000)
        #expect(query.timeout == .seconds(10))
        #expect(query.maxConcurrency == 2 && query.maxQueued == 5)
        #expect(query.maxSeries == 300)
        #expect(query.lookbackDelta == .seconds(60))
        #expect(query.logSlowQueriesOver == .seconds(2))
    }

    @Test func defaults() throws {
        let query = try ConfigLoader.parse("", file: "a.yml").query
        #expect(query == QuerySettings())
        #expect(query.logSlowQueriesOver == nil && query.lookbackDelta == .seconds(300))
    }

    @Test(arguments: [
        ("query:\n  max_samples: 10\n", "a.yml:2:16: query.max_samples must be a whole number from 1000 to 1000000000, got '10'"),
        ("query:\n  max_concurrency: 0\n", "a.yml:2:20: query.max_concurrency must be a whole number from 1 to 256, got '0'"),
        ("query:\n  timeout: soon\n", "a.yml:2:12: query.timeout"),
        ("query:\n  lookback_delta: 0s\n", "a.yml:2:19: query.lookback_delta"),
        ("query:\n  max_querys: 3\n", #"a.yml:2:3: unknown key "max_querys" in query; expected one of: max_samples"#),
        ("query: 5\n", "a.yml:1:8:"),
    ])
    func refusedWithTheirPlace(_ yaml: String, _ expected: String) {
        do {
            _ = try ConfigLoader.parse(yaml, file: "a.yml")
            Issue.record("accepted \(yaml)")
        } catch {
            #expect(error.description.hasPrefix(expected), "\(error.description)")
        }
    }

    @Test func theFlagWinsOverTheFile() throws {
        let file = try ConfigLoader.parse("query:\n  lookback_delta: 1m\n", file: "a.yml")
        #expect(ConfigOverrides(lookbackDelta: .seconds(30)).applied(to: file).query.lookbackDelta == .seconds(30))
        #expect(ConfigOverrides().applied(to: file).query.lookbackDelta == .seconds(60))
    }
}
