import AlertEngine
import MetricStore
import Testing

@testable import ScaleAgent

/// `scalewatch query`, `series` and `labels` against a running agent's HTTP API: the same
/// values as over the data directory the agent writes, and the agent's refusals in
/// Prometheus' words.
@Suite struct QueryCommandsTests {
    static let start = APIServerUnderTest.start
    static let end = APIServerUnderTest.end

    @Test func agentAndDataDirectoryAgree() async throws {
        try await APIServerUnderTest.with { server in
            try server.store.sync()
            let agent = QuerySource.agent(url: "http://127.0.0.1:\(server.port)/")
            let local = QuerySource.dataDirectory(server.directory.path)
            for source in [agent, local] {
                let instant = try await QueryCommands.instant("sum by (job) (requests_total)", at: Self.end, from: source)
                #expect(instant == .vector([VectorSample(labels: Labels(["job": "a"]), value: 7200, timestamp: Self.end)]), "\(source)")
                #expect(try await QueryCommands.instant("1 / 0", at: Self.end, from: source) == .scalar(.infinity))
                #expect(try await QueryCommands.instant(#""x""#, at: Self.end, from: source) == .string("x"))
                let range = try await QueryCommands.range("up", start: Self.end - 60_000, end: Self.end, step: 30_000, from: source)
                #expect(range.map(\.labels) == [Labels(["__name__": "up", "instance": "h:1", "job": "a"]), Labels(["__name__": "up", "instance": "h:2", "job": "b"])])
                #expect(range[1].points == [Self.end - 60_000, Self.end - 30_000, Self.end].map { Sample(timestamp: $0, value: 0) })
                let series = try await QueryCommands.series(["up{job=\"b\"}", "requests_total"], start: nil, end: nil, from: source)
                #expect(series.map(PromQLText.labels) == [#"{__name__="requests_total", job="a"}"#, #"{__name__="up", instance="h:2", job="b"}"#])
                #expect(try await QueryCommands.labels(nil, matching: [], start: nil, end: nil, from: source) == ["__name__", "instance", "job"])
                #expect(try await QueryCommands.labels("job", matching: ["up"], start: nil, end: nil, from: source) == ["a", "b"])
                #expect(try await QueryCommands.labels("job", matching: [], start: Self.end + 600_000, end: nil, from: source) == [])
            }
        }
    }

    @Test(arguments: [
        ("sum(", "bad_data: "),
        ("up + on() up", "execution: "),
    ])
    func agentRefusalsReadAsPrometheusWordsThem(_ expression: String, _ prefix: String) async throws {
        try await APIServerUnderTest.with { server in
            do {
                _ = try await QueryCommands.instant(expression, at: Self.end, from: .agent(url: "http://127.0.0.1:\(server.port)"))
                Issue.record("\(expression) was answered")
            } catch let failure as AgentClient.Failure {
                #expect(failure.description.hasPrefix(prefix), "\(failure)")
            }
        }
    }

    @Test func anAgentThatIsNotRunningIsNamedAtOnce() async throws {
        let started = ContinuousClock.now
        await #expect(throws: AgentClient.Failure.self) {
            _ = try await QueryCommands.instant("up", at: 0, from: .agent(url: "http://127.0.0.1:1"))
        }
        // Not after the call's 120 s timeout; the bound leaves room for a busy test run, whose
        // other tests can hold the cooperative threads for tens of seconds.
        #expect(ContinuousClock.now - started < .seconds(60))
    }

    @Test func sourcePrecedence() throws {
        let missing = "/nonexistent/agent.yml"
        #expect(try QuerySource.resolve(url: "http://db1:9470/", dataDirectory: nil, configFile: nil) == .agent(url: "http://db1:9470"))
        #expect(try QuerySource.resolve(url: nil, dataDirectory: "/d", configFile: nil, installedConfigFile: missing) == .dataDirectory("/d"))
        #expect(throws: QuerySource.Conflict.self) { try QuerySource.resolve(url: "http://h:1", dataDirectory: "/d", configFile: nil) }
        guard !PosixFileSystem().exists(DataDirectoryResolution.installedConfigFile) else { return }
        #expect(try QuerySource.resolve(url: nil, dataDirectory: nil, configFile: nil, installedConfigFile: missing) == .agent(url: "http://127.0.0.1:9470"))
    }
}
