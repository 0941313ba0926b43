#if canImport(Glibc)
import Glibc
#endif
import Testing
import TestSupport

@testable import ScaleAgent

@Suite struct ProcessSelfCollectorTests {
    @Test func parsesFieldsAfterTheLastParenthesis() throws {
        let line = "4242 (scale ) (watch) S 1 4242 4242 0 -1 4194560 1200 0 0 0 150 30 0 0 20 0 9 0 8800 123456789 2500 18446744073709551615"
        let stat = try ProcessSelfCollector.parseStat(line, file: "/proc/self/stat")
        #expect(
            stat == ProcessSelfCollector.Stat(
                userTicks: 150, systemTicks: 30, startTicks: 8800, virtualBytes: 123_456_789, residentPages: 2500))
    }

    @Test(arguments: [
        ("4242 scalewatch S 1", "expected 'pid (comm) state …'"),
        ("4242 (scalewatch) S 1 2 3", "expected at least 24 numeric fields"),
        ("4242 (scalewatch) S 1 4242 4242 0 -1 4194560 1200 0 0 0 x 30 0 0 20 0 9 0 8800 1 2", "expected at least 24 numeric fields"),
    ])
    func malformedStat(_ text: String, _ message: String) {
        #expect(throws: ParseError(file: "/proc/self/stat", line: 1, message)) {
            try ProcessSelfCollector.parseStat(text, file: "/proc/self/stat")
        }
    }

    @Test func bootTimeFromProcStat() {
        #expect(ProcessSelfCollector.bootTime("cpu 1 2\nbtime 1700000000\nprocesses 5\n") == 1_700_000_000)
        #expect(ProcessSelfCollector.bootTime("cpu 1 2\n") == nil)
    }

    @Test func reportsThisProcess() throws {
        var metrics = MetricsBuilder()
        try ProcessSelfCollector().collect(into: &metrics)
        let names = Set(metrics.build().map(\.name))
        #expect(
            names.isSuperset(of: [
                "process_cpu_seconds_total", "process_resident_memory_bytes", "process_start_time_seconds",
                "process_open_fds", "process_max_fds", "process_virtual_memory_max_bytes", "scalewatch_build_info",
            ]))
        let resident = metrics.build().first { $0.name == "process_resident_memory_bytes" }?.samples.first?.value ?? 0
        #expect(resident > 1_000_000)
    }

    /// procfs' size of an `fd` directory (Linux 6.2+) agrees with a listing of it; any other
    /// directory is listed.
    @Test func countsOpenFiles() throws {
        let descriptors = (0..<20).map { _ in open("/dev/null", O_RDONLY | O_CLOEXEC) }
        defer { descriptors.forEach { close($0) } }
        let counted = try #require(try ProcessSelfCollector.openFileCount("/proc/self/fd"))
        let listed = try #require(try FileReading.directoryEntries(atPath: "/proc/self/fd")).count
        // The listing holds one more descriptor, its own, while it reads; the other threads of
        // the test process may open or close a few meanwhile.
        #expect(abs(counted - listed) <= 4)
        #expect(counted >= 20)

        let directory = TestDirectory()
        defer { directory.remove() }
        for name in ["0", "1", "2"] { try directory.write("fd/" + name, "") }
        #expect(try ProcessSelfCollector.openFileCount(directory.file("fd")) == 3)
    }
}
