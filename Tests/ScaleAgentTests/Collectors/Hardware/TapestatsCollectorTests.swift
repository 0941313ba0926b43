import Testing
import TestSupport
@testable import ScaleAgent

/// tapestats on the fixture tree (this machine has no tape drive; the files follow
/// Documentation/scsi/st.rst) and its count parser.
@Suite struct TapestatsCollectorTests {
    private func collect(paths: HostPaths) throws -> [MetricFamily] {
        var builder = MetricsBuilder()
        try TapestatsCollector(paths: paths).collect(into: &builder)
        return builder.build()
    }

    @Test func countsAndSecondsPerDriveWithoutItsVariants() throws {
        let families = try collect(paths: Fixtures.paths)
        #expect(families.count == 10)
        // nst0 is st0 without rewind: not a drive of its own.
        #expect(families.allSatisfy { $0.samples.map { $0.labels["device"] } == ["st0"] })
        let value = { (name: String) in families.first { $0.name == name }?.samples.first?.value }
        #expect(value("node_tape_io_now") == 0)
        #expect(value("node_tape_io_time_seconds_total") == 9_246_130_201 * 0.000000001)
        #expect(value("node_tape_read_time_seconds_total") == 5_294_210_117 * 0.000000001)
        #expect(value("node_tape_written_bytes_total") == 3_047_424_000)
        #expect(value("node_tape_writes_completed_total") == 23252)
        #expect(value("node_tape_residual_total") == 19)
        #expect(value("node_tape_io_others_total") == 1409)
    }

    @Test func aDriveWithoutStatsIsLeftOutAndAnAbsentFileReadsZero() throws {
        let directory = TestDirectory(prefix: "scalewatch-tape")
        defer { directory.remove() }
        try directory.write("class/scsi_tape/st1/dev", "9:1\n")
        try directory.write("class/scsi_tape/st2/stats/read_cnt", "5\n")
        let families = try collect(paths: HostPaths(sysfs: directory.path))
        #expect(families.allSatisfy { $0.samples.map { $0.labels["device"] } == ["st2"] })
        #expect(families.first { $0.name == "node_tape_reads_completed_total" }?.samples.first?.value == 5)
        #expect(families.first { $0.name == "node_tape_read_bytes_total" }?.samples.first?.value == 0)
    }

    @Test(arguments: ["", "\n", "-1", "1.5", "0x10", "many", "18446744073709551616"])
    func rejectsCounts(text: String) {
        let error = #expect(throws: ParseError.self) { try TapestatsCollector.count(text, file: "read_cnt") }
        #expect(error?.file == "read_cnt")
        #expect(error?.message.contains("expected a decimal count") == true)
    }

    @Test func aMalformedCountFailsTheCollectorWithItsPath() throws {
        let directory = TestDirectory(prefix: "scalewatch-tape")
        defer { directory.remove() }
        try directory.write("class/scsi_tape/st0/stats/io_ns", "soon\n")
        let error = #expect(throws: ParseError.self) { try collect(paths: HostPaths(sysfs: directory.path)) }
        #expect(error?.file.hasSuffix("st0/stats/io_ns") == true)
    }

    @Test func skipsQuietlyWithoutTapes() throws {
        #expect(try collect(paths: HostPaths(sysfs: "/nonexistent")).isEmpty)
    }
}
