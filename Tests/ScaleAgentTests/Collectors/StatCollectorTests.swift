import Testing
@testable import ScaleAgent

@Suite struct StatCollectorTests {
    static let stat = """
        cpu  11180 0 2168 29687 980 0 181 17 0 0
        cpu0 4759 0 975 16249 35 0 84 7 0 0
        intr 173564 0 0 0 1 9
        ctxt 300761
        btime 1795923569
        processes 5774
        procs_running 6
        procs_blocked 1
        softirq 104468 0 10969 4

        """

    @Test func parsesTheKernelCounters() throws {
        let stat = try StatCollector.parse(Self.stat, file: "stat")
        #expect(
            stat
                == .init(
                    bootTime: 1_795_923_569, contextSwitches: 300_761, forks: 5774, interrupts: 173_564,
                    procsRunning: 6, procsBlocked: 1))
    }

    @Test(arguments: [
        (StatCollectorTests.stat.replacing("ctxt 300761", with: "ctxt", maxReplacements: 1), 4, "'ctxt'"),
        (StatCollectorTests.stat.replacing("btime 1795923569", with: "btime soon", maxReplacements: 1), 5, "'btime'"),
        (StatCollectorTests.stat.replacing("intr 173564", with: "intr -1", maxReplacements: 1), 3, "'intr'"),
        (
            StatCollectorTests.stat.replacing("procs_blocked 1\n", with: "", maxReplacements: 1), 0,
            "missing the 'procs_blocked' line"
        ),
        ("", 0, "missing the 'btime' line"),
    ])
    func rejectsMalformed(text: String, line: Int, expected: String) {
        let error = #expect(throws: ParseError.self) { try StatCollector.parse(text, file: "stat") }
        #expect(error?.file == "stat")
        #expect(error?.line == line)
        #expect(error?.message.contains(expected) == true)
    }

    @Test func collectsFromFixture() throws {
        var builder = MetricsBuilder()
        try StatCollector(paths: Fixtures.paths).collect(into: &builder)
        let families = builder.build()
        #expect(families.count == 6)
        #expect(families.value("node_boot_time_seconds") == 1_795_923_569)
        #expect(families.value("node_context_switches_total") == 300_761)
        #expect(families.value("node_forks_total") == 5774)
        #expect(families.value("node_intr_total") == 173_564)
        #expect(families.value("node_procs_running") == 6)
        #expect(families.value("node_procs_blocked") == 1)
        #expect(families.first { $0.name == "node_forks_total" }?.type == .counter)
        #expect(families.first { $0.name == "node_procs_running" }?.type == .gauge)
    }
}

extension [MetricFamily] {
    fileprivate func value(_ name: String, _ labels: [String: String] = [:]) -> Double? {
        first { $0.name == name }?.samples.first { sample in
            sample.labels.count == labels.count && labels.allSatisfy { sample.labels[$0.key] == $0.value }
        }?.value
    }
}
