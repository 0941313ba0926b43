import Testing
import TestSupport
@testable import ScaleAgent

/// xfs on the fixture tree (no XFS is mounted on this machine: the files follow
/// fs/xfs/xfs_stats.c's format) and the stats parser's errors.
@Suite struct XFSCollectorTests {
    private func collect(_ paths: HostPaths) throws -> [MetricFamily] {
        var builder = MetricsBuilder()
        try XFSCollector(paths: paths).collect(into: &builder)
        return builder.build()
    }

    @Test func perDeviceCountersOnTheFixtures() throws {
        let families = try collect(Fixtures.paths)
        #expect(families.count == XFSCollector.counters.count)
        #expect(families.allSatisfy { $0.type == .counter && $0.name.hasSuffix("_total") })
        let reads = families.first { $0.name == "node_xfs_read_calls_total" }?.samples ?? []
        // The host-wide stats/stats is not a device.
        #expect(reads.map { $0.labels["device"] } == ["dm-0", "vdd"])
        // `rw` lists writes first.
        #expect(reads.map(\.value) == [6314, 3157])
        let writes = families.first { $0.name == "node_xfs_write_calls_total" }?.samples ?? []
        #expect(writes.map(\.value) == [2096, 1048])
        let active = families.first { $0.name == "node_xfs_vnode_active_total" }?.samples ?? []
        #expect(active.map(\.value) == [24, 12])
    }

    @Test func aGroupTheKernelLacksReadsAsZero() throws {
        let stats = try XFSStats.parse("rw 5 7\nunknown_group 1 2 3\n", file: "stats")
        #expect(stats[group: "rw", index: 1] == 7)
        #expect(stats[group: "ig", index: 0] == 0)
        #expect(stats[group: "unknown_group", index: 2] == 3)
    }

    @Test(arguments: [("vnodes 1 2 3 4 5 6 7\n", 7), ("vnodes 1 2 3 4 5 6 7 8\n", 8), ("qm 0 0 0 0 0 0 0 0 0\n", 9)])
    func olderAndNewerGroupWidths(text: String, count: Int) throws {
        let name = String(text.split(separator: " ")[0])
        #expect(try XFSStats.parse(text, file: "stats")[group: name, index: count - 1] == UInt64(count == 9 ? 0 : count))
    }

    @Test(arguments: [
        ("extent_alloc 1 2 3 4\nrw 1\n", 2, "expected 2 counters in 'rw', found 1"),
        ("vnodes 1 2 3\n", 1, "expected 7 or 8 counters in 'vnodes', found 3"),
        ("abt 0 0 0 0\nbuf 1 2 x 4 5 6 7 8 9\n", 2, "expected a counter in 'buf', found 'x'"),
        ("rw 1 -2\n", 1, "expected a counter in 'rw', found '-2'"),
        ("debug\n", 1, "expected counters after 'debug'"),
        ("rw 1 2\nrw 3 4\n", 2, "'rw' appears twice"),
    ])
    func rejectsMalformed(text: String, line: Int, message: String) {
        let error = #expect(throws: ParseError.self) { try XFSStats.parse(text, file: "/sys/fs/xfs/sda1/stats/stats") }
        #expect(error?.file == "/sys/fs/xfs/sda1/stats/stats")
        #expect(error?.line == line)
        #expect(error?.message == message)
    }

    @Test func aMalformedDeviceFileFailsTheCollector() throws {
        let directory = TestDirectory(prefix: "scalewatch-xfs")
        defer { directory.remove() }
        try directory.write("fs/xfs/sda1/stats/stats", "rw 1\n")
        let error = #expect(throws: ParseError.self) { try collect(HostPaths(sysfs: directory.path)) }
        #expect(error?.description == directory.path + "/fs/xfs/sda1/stats/stats:1: expected 2 counters in 'rw', found 1")
    }

    @Test func skippedWithoutXFSMounts() throws {
        let directory = TestDirectory(prefix: "scalewatch-xfs")
        defer { directory.remove() }
        try directory.write("fs/xfs/stats/stats", "rw 1 2\n")
        #expect(try collect(HostPaths(sysfs: directory.path)).isEmpty)
        #expect(try collect(HostPaths(sysfs: "/nonexistent")).isEmpty)
    }
}
