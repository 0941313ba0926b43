import Testing
@testable import ScaleAgent

@Suite struct ProcessesCollectorTests {
    static let tail = "0 0 0 0 -1 4194560 12460 1937504 0 825 28 69 5326 1363 20 0 11 0 16 35774464 2274"

    @Test func parsesStateAndThreadCount() throws {
        let stat = try ProcessesCollector.parse("1 (systemd) S \(Self.tail)\n", file: "1/stat")
        #expect(stat == .init(state: "S", threads: 11))
    }

    @Test func commMayHoldSpacesAndParentheses() throws {
        let stat = try ProcessesCollector.parse("317 (a ) (b) c) Z \(Self.tail)\n", file: "317/stat")
        #expect(stat == .init(state: "Z", threads: 11))
    }

    @Test(arguments: [
        ("", "expected 'pid (comm) state"),
        ("1 systemd S 0 0\n", "expected 'pid (comm) state"),
        ("1 (systemd) S 0 0 0\n", "expected at least 18 fields"),
        ("1 (systemd) SS \(ProcessesCollectorTests.tail)\n", "state: expected one letter"),
        ("1 (systemd) 5 \(ProcessesCollectorTests.tail)\n", "state: expected one letter"),
        ("1 (systemd) S \(ProcessesCollectorTests.tail.replacing(" 11 ", with: " -1 "))\n", "num_threads"),
    ])
    func rejectsMalformedStat(text: String, expected: String) {
        let error = #expect(throws: ParseError.self) { try ProcessesCollector.parse(text, file: "1/stat") }
        #expect(error?.file == "1/stat")
        #expect(error?.line == 1)
        #expect(error?.message.contains(expected) == true)
    }

    @Test(arguments: ["", "many\n", "1\n2\n", "-1\n"])
    func rejectsMalformedLimit(text: String) {
        let error = #expect(throws: ParseError.self) { try ProcessesCollector.parseLimit(text, file: "pid_max") }
        #expect(error == ParseError(file: "pid_max", line: 1, "expected one unsigned integer"))
    }

    /// The fixture tree: 1 systemd (S), 7 a kworker (I), 42 postgres (S, three threads of
    /// which 43 is R and 44 has exited), 317 `my ) (app` (D), and 999, which exited between
    /// the listing and the read.
    @Test func collectsFromFixture() throws {
        var builder = MetricsBuilder()
        try ProcessesCollector(paths: Fixtures.paths).collect(into: &builder)
        let families = builder.build()
        #expect(families.value("node_processes_pids") == 4)
        #expect(families.value("node_processes_threads") == 6)
        #expect(families.value("node_processes_max_processes") == 32768)
        #expect(families.value("node_processes_max_threads") == 192_729)
        #expect(families.samples("node_processes_state", "state") == ["D": 1, "I": 1, "S": 2])
        #expect(families.samples("node_processes_threads_state", "thread_state") == ["D": 1, "I": 1, "R": 1, "S": 2])
        #expect(families.first { $0.name == "node_processes_state" }?.help == "Number of processes in each state.")
        #expect(families.allSatisfy { $0.type == .gauge })
    }
}

extension [MetricFamily] {
    fileprivate func value(_ name: String, _ labels: [String: String] = [:]) -> Double? {
        first { $0.name == name }?.samples.first { sample in
            sample.labels.count == labels.count && labels.allSatisfy { sample.labels[$0.key] == $0.value }
        }?.value
    }

    fileprivate func samples(_ name: String, _ label: String) -> [String: Double] {
        var byValue: [String: Double] = [:]
        for sample in first(where: { $0.name == name })?.samples ?? [] {
            byValue[sample.labels[label] ?? ""] = sample.value
        }
        return byValue
    }
}
