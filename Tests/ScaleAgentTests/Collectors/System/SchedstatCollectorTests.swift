import Testing
@testable import ScaleAgent

@Suite struct SchedstatCollectorTests {
    @Test func readsRunningWaitingAndTimeslicesPerCPU() throws {
        let text = "version 15\ntimestamp 1\ncpu0 0 0 0 0 0 0 2000000000 500000000 42\ndomain0 3 1 2 3\ncpu1 0 0 0 0 0 0 1 2 3\n"
        let cpus = try SchedstatCollector.parse(text, file: "schedstat")
        #expect(cpus == [
            .init(cpu: "0", runningSeconds: 2, waitingSeconds: 0.5, timeslices: 42),
            .init(cpu: "1", runningSeconds: 1e-9, waitingSeconds: 2e-9, timeslices: 3),
        ])
    }

    @Test(arguments: [
        ("version 15\ncpuX 0 0 0 0 0 0 1 2 3\n", 2, "expected 'cpuN'"),
        ("cpu0 0 0 0\n", 1, "expected 9 counters"),
        ("cpu0 0 0 0 0 0 0 1 -2 3\n", 1, "expected a counter"),
    ])
    func rejectsMalformed(text: String, line: Int, expected: String) {
        let error = #expect(throws: ParseError.self) { try SchedstatCollector.parse(text, file: "schedstat") }
        #expect(error?.line == line)
        #expect(error?.message.contains(expected) == true)
    }
}
