import AlertEngine
import MetricStore
import Testing
import TestSupport

@testable import ScaleAgent

/// Prometheus 2's closed window starts (`query.window_start: included`, `--query.window-start
/// included`): a rule-test suite written for promtool 2.42, with a sample exactly at a window's
/// start, passes unchanged under `included` and fails under the default `excluded`; the agent's
/// API and the config key follow the same setting.
@Suite struct WindowStartTests {
    static let rules = """
        groups:
          - name: g
            rules:
              - record: job:samples:1m
                expr: count_over_time(requests_total[1m])
        """

    /// promtool 2.42 answers 2 at 1m (the samples at 0s and 60s; [0s, 60s] is closed);
    /// Prometheus 3 answers 1 ((0s, 60s]).
    static let suite = """
        rule_files: [rules.yml]
        evaluation_interval: 1m
        tests:
          - interval: 1m
            input_series:
              - series: 'requests_total{job="a"}'
                values: '0 1 2 3'
            promql_expr_test:
              - expr: count_over_time(requests_total[1m])
                eval_time: 1m
                exp_samples:
                  - labels: '{job="a"}'
                    value: 2
              - expr: job:samples:1m
                eval_time: 2m
                exp_samples:
                  - labels: 'job:samples:1m{job="a"}'
                    value: 2
        """

    @Test func aPromtool2SuitePassesOnlyWithIncludedStarts() throws {
        let directory = TestDirectory(prefix: "window-start")
        defer { directory.remove() }
        _ = try directory.write("rules.yml", Self.rules)
        let file = try directory.write("tests.yml", Self.suite)
        let included = RuleCommands.test(file: file, windowStart: .included)
        #expect(included.passed, "\(included.report)")
        let excluded = RuleCommands.test(file: file, windowStart: .excluded)
        #expect(!excluded.passed)
        #expect(excluded.report.contains("count_over_time(requests_total[1m])"))
        #expect(RuleCommands.test(file: file).passed == excluded.passed)
    }

    @Test(arguments: [(WindowStart.excluded, 4.0), (.included, 5.0)])
    func theAPIFollowsTheSetting(_ windowStart: WindowStart, _ expected: Double) async throws {
        var settings = QuerySettings()
        settings.windowStart = windowStart
        try await APIServerUnderTest.with(settings: settings) { server in
            // Samples every 15 s from `start`: 0, 15, 30, 45 and 60 s lie in [start, start + 1m].
            let value = try await QueryCommands.instant(
                #"count_over_time(up{job="a"}[1m])"#, at: APIServerUnderTest.start + 60_000,
                from: .agent(url: "http://127.0.0.1:\(server.port)"))
            #expect(value == .vector([VectorSample(labels: Labels(["instance": "h:1", "job": "a"]), value: expected, timestamp: APIServerUnderTest.start + 60_000)]))
            let local = try await QueryCommands.instant(
                #"count_over_time(up{job="a"}[1m])"#, at: APIServerUnderTest.start + 60_000,
                from: .dataDirectory(server.directory.path), windowStart: windowStart)
            #expect(local == value)
        }
    }

    @Test func configKeyAndOverride() throws {
        #expect(try ConfigLoader.parse("", file: "a.yml").query.windowStart == .excluded)
        #expect(try ConfigLoader.parse("query:\n  window_start: included\n", file: "a.yml").query.windowStart == .included)
        #expect(throws: ConfigError.self) { try ConfigLoader.parse("query:\n  window_start: closed\n", file: "a.yml") }
        var overrides = ConfigOverrides()
        overrides.windowStart = .included
        #expect(overrides.applied(to: AgentConfig()).query.windowStart == .included)
        #expect(AgentFlags.list(overrides.applied(to: AgentConfig()), configFile: nil).contains { $0 == ("query.window-start", "included") })
    }
}
