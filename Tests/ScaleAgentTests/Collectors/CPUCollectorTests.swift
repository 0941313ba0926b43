import Testing
@testable import ScaleAgent

@Suite struct CPUCollectorTests {
    typealias Times = CPUCollector.CPUTimes

    static let stat = """
        cpu  11180 0 2168 29687 980 0 181 17 4 1
        cpu0 4759 0 975 16249 35 0 84 7 0 0
        cpu1 6421 2 1193 13437 944 3 97 10 4 1 0
        intr 173564 0 0
        ctxt 300761

        """

    @Test func parsesPerCPULinesAndSkipsTheAggregate() throws {
        let cpus = try CPUCollector.parse(Self.stat, file: "stat")
        #expect(cpus.map(\.id) == ["0", "1"])
        #expect(
            cpus[1].times
                == Times(
                    user: 64.21, nice: 0.02, system: 11.93, idle: 134.37, iowait: 9.44, irq: 0.03, softirq: 0.97,
                    steal: 0.1, guest: 0.04, guestNice: 0.01))
    }

    @Test(arguments: [
        ("cpu0 1 2 3 4 5 6 7 8 9\n", 1, "expected 10 times"),
        ("cpu  1 2 3 4 5 6 7 8 9 10\ncpu0 1 2 3 x 5 6 7 8 9 10\n", 2, "found 'x'"),
        ("cpu0 1 2 3 4 5 6 7 8 9 -10\n", 1, "found '-10'"),
        ("cpu0 1 2 3 4 5 6 7 8 9 10\ncpuX 1 2 3 4 5 6 7 8 9 10\n", 2, "CPU number"),
        ("cpu  1 2 3 4 5 6 7 8 9 10\nctxt 5\n", 0, "at least one 'cpuN' line"),
        ("", 0, "at least one 'cpuN' line"),
    ])
    func rejectsMalformed(text: String, line: Int, expected: String) {
        let error = #expect(throws: ParseError.self) { try CPUCollector.parse(text, file: "stat") }
        #expect(error?.file == "stat")
        #expect(error?.line == line)
        #expect(error?.message.contains(expected) == true)
    }

    static let before = Times(
        user: 10, nice: 1, system: 5, idle: 100, iowait: 7, irq: 0, softirq: 1, steal: 0, guest: 0, guestNice: 0)

    @Test func firstSightingIsTakenAsIs() {
        #expect(CPUCollector.monotonic(Self.before, after: nil) == Self.before)
    }

    @Test func aModeThatStepsBackKeepsItsHighestValue() {
        var now = Self.before
        now.user = 11
        now.iowait = 6.5
        now.idle = 101
        let reported = CPUCollector.monotonic(now, after: Self.before)
        #expect(reported.iowait == 7)
        #expect(reported.user == 11)
        #expect(reported.idle == 101)
    }

    @Test func idleFallingThreeSecondsOrMoreMeansReplugged() {
        var now = Self.before
        now.idle = 97
        now.iowait = 0
        #expect(CPUCollector.monotonic(now, after: Self.before) == now)
        now.idle = 97.01
        #expect(CPUCollector.monotonic(now, after: Self.before).iowait == 7)
    }

    @Test func collectsFromFixture() throws {
        var builder = MetricsBuilder()
        try CPUCollector(paths: Fixtures.paths).collect(into: &builder)
        let families = builder.build()
        #expect(families.map(\.name) == ["node_cpu_seconds_total", "node_cpu_guest_seconds_total"])
        #expect(families.allSatisfy { $0.type == .counter })
        #expect(families[0].help == "Seconds the CPUs spent in each mode.")
        #expect(families[1].help == "Seconds the CPUs spent in guests (VMs) for each mode.")
        #expect(families[0].samples.count == 16)
        #expect(families[1].samples.count == 4)
        #expect(families.value("node_cpu_seconds_total", ["cpu": "0", "mode": "user"]) == 47.59)
        #expect(families.value("node_cpu_seconds_total", ["cpu": "1", "mode": "steal"]) == 0.1)
        #expect(families.value("node_cpu_seconds_total", ["cpu": "1", "mode": "idle"]) == 134.37)
        #expect(families.value("node_cpu_guest_seconds_total", ["cpu": "1", "mode": "user"]) == 0.04)
        #expect(families.value("node_cpu_guest_seconds_total", ["cpu": "1", "mode": "nice"]) == 0.01)
    }

    @Test func collectingAgainKeepsReporting() throws {
        let collector = CPUCollector(paths: Fixtures.paths)
        var first = MetricsBuilder()
        try collector.collect(into: &first)
        var second = MetricsBuilder()
        try collector.collect(into: &second)
        #expect(first.build() == second.build())
    }
}

extension [MetricFamily] {
    fileprivate func value(_ name: String, _ labels: [String: String] = [:]) -> Double? {
        first { $0.name == name }?.samples.first { sample in
            sample.labels.count == labels.count && labels.allSatisfy { sample.labels[$0.key] == $0.value }
        }?.value
    }
}
