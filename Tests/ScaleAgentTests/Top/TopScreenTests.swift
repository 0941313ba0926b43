import AlertEngine
import MetricStore
import Testing

@testable import ScaleAgent

/// `scalewatch top`'s screen, golden: a host at several stages at once, wide and narrow, and
/// an agent that cannot be reached; and the snapshot the query answers make.
@Suite struct TopScreenTests {
    static let now: Int64 = 1_700_000_000_000  // 2023-11-14T22:13:20Z

    static var busyHost: TopSnapshot {
        var snapshot = TopSnapshot()
        snapshot.cpuBusy = 0.975
        snapshot.cpuWaiting = 0.42
        snapshot.load1 = 7.5
        snapshot.cpuCount = 4
        snapshot.memoryAvailable = 512 * 1_048_576
        snapshot.memoryTotal = 8 * 1_073_741_824
        snapshot.oomKills = 2.2
        snapshot.services = [.init("postgresql.service", 5.5 * 1_073_741_824), .init("app.service", 900 * 1_048_576)]
        snapshot.processes = [.init("postgres ×12", 5 * 1_073_741_824), .init("ruby", 700 * 1_048_576)]
        snapshot.connections = 92
        snapshot.maxConnections = 100
        snapshot.lockWaits = 3
        snapshot.replicationLag = 95
        snapshot.firing = ["HostCPUSaturated", "PostgresConnectionsNearLimit"]
        return snapshot
    }

    @Test func wide() {
        let lines = TopScreen.render(Self.busyHost, columns: 90, rows: 16, agent: "http://127.0.0.1:9470", now: Self.now, interval: "2s")
        #expect(lines.map { $0.trimmingTrailingSpaces() } == [
            "scalewatch top — http://127.0.0.1:9470 — 2023-11-14 22:13:20 UTC        every 2s · q quits",
            "",
            "CPU (3)           busy 97.5%  waiting 42.0%  load 7.50 on 4 CPUs",
            "                  [███████████████████████████████████████████████░]",
            "memory (1)        available 512 MiB of 8 GiB (6.2%)  OOM kills in 1h 2",
            "connections (4)   92 of 100 (92.0%)",
            "locks, lag (6, 7) waiting for a lock 3  replication lag 1.6m",
            "firing alerts     2: HostCPUSaturated, PostgresConnectionsNearLimit",
            "",
            "largest services (2)                         largest processes (2)",
            "  postgresql.service    5.5 GiB                postgres ×12      5 GiB",
            "  app.service           900 MiB                ruby            700 MiB",
            "", "", "", "",
        ])
        #expect(lines.allSatisfy { $0.count == 90 })
    }

    @Test func narrowAndShort() {
        let lines = TopScreen.render(Self.busyHost, columns: 40, rows: 12, agent: "http://h:1", now: Self.now, interval: "2s")
        #expect(lines.count == 12)
        #expect(lines.allSatisfy { $0.count == 40 })
        #expect(lines[0] == "scalewatch top — http://h:1 — 2023-11-14")
        #expect(lines[9].hasPrefix("largest services (2)"))
        #expect(lines[11].hasPrefix("  app.service"))
        #expect(TopScreen.render(Self.busyHost, columns: 0, rows: 0, agent: "", now: Self.now, interval: "2s").isEmpty)
    }

    @Test func unknownNumbersAndAProblem() {
        var snapshot = TopSnapshot()
        snapshot.problem = "cannot reach the agent at http://h:1: connection refused"
        let lines = TopScreen.render(snapshot, columns: 80, rows: 14, agent: "http://h:1", now: Self.now, interval: "1s")
        #expect(lines.map { $0.trimmingTrailingSpaces() }[1...11] == [
            "! cannot reach the agent at http://h:1: connection refused",
            "CPU (3)           busy -  waiting -  load -",
            "",
            "memory (1)        available - of - (-)  OOM kills in 1h -",
            "connections (4)   - of - (-)",
            "locks, lag (6, 7) waiting for a lock -  replication lag -",
            "firing alerts     none",
            "",
            "largest services (2)                    largest processes (2)",
            "  -                                       -",
            "",
        ])
    }

    @Test func snapshotFromAnswers() {
        let at: Int64 = Self.now
        func vector(_ samples: [(KeyValuePairs<String, String>, Double)]) -> Result<QueryValue, any Error> {
            .success(.vector(samples.map { VectorSample(labels: Labels($0.0), value: $0.1, timestamp: at) }))
        }
        var answers: [String: Result<QueryValue, any Error>] = Dictionary(uniqueKeysWithValues: TopQueries.all.map { ($0, vector([])) })
        answers[TopQueries.cpuBusy] = vector([([:], 0.5)])
        answers[TopQueries.services] = vector([(["unit": "b.service"], 1), (["unit": "a.service"], 2), (["unit": "c.service"], 2)])
        answers[TopQueries.processes] = vector([
            (["__name__": "scalewatch_process_group_resident_memory_bytes", "comm": "postgres", "unit": "pg.service"], 8),
            (["__name__": "scalewatch_process_group_resident_memory_bytes", "comm": "cron", "unit": "cron.service"], 1),
            (["__name__": "scalewatch_process_group_resident_memory_bytes", "comm": "bash"], 2),
            (["__name__": "scalewatch_process_group_resident_memory_bytes", "comm": "x", "unit": "x.service"], .nan),
        ])
        answers[TopQueries.processCounts] = vector([
            (["__name__": "scalewatch_process_group_processes", "comm": "postgres", "unit": "pg.service"], 12),
            (["__name__": "scalewatch_process_group_processes", "comm": "postgres", "unit": "other.service"], 3),
            (["__name__": "scalewatch_process_group_processes", "comm": "cron", "unit": "cron.service"], 1),
            (["__name__": "scalewatch_process_group_processes", "comm": "bash"], 1e300),
        ])
        answers[TopQueries.firing] = vector([(["alertname": "B"], 1), (["alertname": "A"], 1), (["alertname": "B", "instance": "x"], 1)])
        answers[TopQueries.replicationLag] = .failure(AgentClient.Failure(description: "bad_data: x"))
        let snapshot = TopQueries.snapshot(answers)
        #expect(snapshot.cpuBusy == 0.5)
        #expect(snapshot.services.map(\.name) == ["a.service", "c.service", "b.service"])
        // Counts join by comm and unit; one process, an absurd count or none: no count shown.
        #expect(snapshot.processes.map(\.name) == ["postgres ×12", "bash", "cron"])
        #expect(snapshot.firing == ["A", "B"])
        #expect(snapshot.replicationLag == nil && snapshot.problem == nil)
        let down = TopQueries.snapshot(answers.mapValues { _ in .failure(AgentClient.Failure(description: "cannot reach")) })
        #expect(down.problem == "cannot reach")
    }

    @Test func fetchesFromARunningAgent() async throws {
        try await APIServerUnderTest.with { server in
            let snapshot = await TopQueries.fetch(from: AgentClient(baseURL: "http://127.0.0.1:\(server.port)"), at: APIServerUnderTest.end)
            #expect(snapshot.problem == nil)
            #expect(snapshot.cpuBusy == nil && snapshot.firing.isEmpty)
        }
        let down = await TopQueries.fetch(from: AgentClient(baseURL: "http://127.0.0.1:1"), at: 0)
        #expect(down.problem?.hasPrefix("cannot reach the agent at http://127.0.0.1:1") == true)
    }
}

extension String {
    fileprivate func trimmingTrailingSpaces() -> String {
        var text = self
        while text.hasSuffix(" ") { text.removeLast() }
        return text
    }
}
