import Testing
import TestSupport
@testable import ScaleAgent

/// bcache on the fixture tree (this machine has no bcache: written from the kernel's
/// Documentation/admin-guide/bcache.rst and drivers/md/bcache/sysfs.c) and its value parsing.
@Suite struct BcacheCollectorTests {
    private func collect(_ paths: HostPaths) throws -> [MetricFamily] {
        var builder = MetricsBuilder()
        try BcacheCollector(paths: paths).collect(into: &builder)
        return builder.build()
    }

    private func value(_ families: [MetricFamily], _ name: String) -> Double? {
        families.first { $0.name == name }?.samples.first?.value
    }

    @Test(arguments: [
        ("0", 0), ("512", 512), ("83\n", 83), ("4.0M", 4 << 20), ("512k", 512 << 10), ("1.2G", 1_283_457_024),
        ("20.4G", 21_894_266_880), ("15E", 17_293_822_569_102_704_640),
    ] as [(String, UInt64)])
    func humanisedValues(text: String, expected: UInt64) throws {
        var trimmed = Substring(text)
        if trimmed.last == "\n" { trimmed.removeLast() }
        #expect(try BcacheValue.unsigned(trimmed, file: "f") == expected)
    }

    @Test(arguments: ["", "k", "1.2.3M", "12x", "-4", "1.xM", " 5", "99999999999999999999", "1Y"])
    func rejectsWhatIsNotANumber(text: String) {
        let error = #expect(throws: ParseError.self) { try BcacheValue.unsigned(Substring(text), file: "dirty_data") }
        #expect(error?.file == "dirty_data")
        #expect(error?.message.contains("expected a number") == true)
    }

    @Test func signedValues() throws {
        // 427 and 5/10.24 of a KiB: the digit is tenths of 1024ths.
        #expect(try BcacheValue.signed("-427.5k", file: "f") == -437_748)
        #expect(try BcacheValue.signed("790.0k", file: "f") == 808_960)
    }

    @Test func writebackRateDebug() throws {
        let text = "rate:\t\t1.1M/sec\ndirty:\t\t1.2G\ntarget:\t\t20.4G\nproportional:\t-427.5k\nintegral:\t790.0k\nchange:\t\t-321.5k/sec\nnext io:\t17ms\n"
        let rate = try BcacheValue.writebackRate(text, file: "writeback_rate_debug")
        #expect(rate == .init(
            rate: 1_150_976, dirty: 1_283_457_024, target: 21_894_266_880, proportional: -437_748, integral: 808_960, change: -329_204))
    }

    @Test(arguments: [
        ("rate:\t1.1M/sec\ndirty:\tlots\n", 2, "expected a number"),
        ("rate:\t1.1M/sec\ntarget:\n", 2, "expected one value after 'target:'"),
        ("change:\t1k 2k\n", 1, "expected one value"),
    ])
    func rejectsAMalformedWritebackRate(text: String, line: Int, expected: String) {
        let error = #expect(throws: ParseError.self) { try BcacheValue.writebackRate(text, file: "writeback_rate_debug") }
        #expect(error?.line == line)
        #expect(error?.message.contains(expected) == true, "\(String(describing: error))")
    }

    @Test func cacheSetBackingAndCacheDevicesOnTheFixtures() throws {
        let families = try collect(Fixtures.paths)
        let set = families.first { $0.name == "node_bcache_cache_available_percent" }?.samples.first
        #expect(set?.labels["uuid"] == "5d1f4c6e-9a3b-4f0e-8c2d-7b6a5e4d3c21")
        #expect(set?.value == 83)
        #expect(value(families, "node_bcache_btree_cache_size_bytes") == 4_194_304)
        #expect(value(families, "node_bcache_btree_read_average_duration_seconds") == 1035e-9)
        let dirty = families.first { $0.name == "node_bcache_dirty_data_bytes" }?.samples.first
        #expect(dirty?.labels["backing_device"] == "bdev0")
        #expect(dirty?.value == 1_283_457_024)
        #expect(value(families, "node_bcache_writeback_rate_proportional_term") == -437_748)
        #expect(value(families, "node_bcache_cache_hits_total") == 1_184_023)
        let written = families.first { $0.name == "node_bcache_written_bytes_total" }?.samples.first
        #expect(written?.labels["cache_device"] == "cache0")
        #expect(families.first { $0.name == "node_bcache_cache_hits_total" }?.type == .counter)
        // priority_stats is not read by default, as in node_exporter.
        #expect(!families.contains { $0.name.hasPrefix("node_bcache_priority_stats") })
        #expect(families.count == 26)
    }

    @Test func missingValueFilesReadAsZeroButTheWritebackDebugIsRequired() throws {
        let directory = TestDirectory(prefix: "scalewatch-bcache")
        defer { directory.remove() }
        try directory.write("fs/bcache/aaaa-bbbb/tree_depth", "2\n")
        var families = try collect(HostPaths(sysfs: directory.path))
        #expect(value(families, "node_bcache_tree_depth") == 2)
        #expect(value(families, "node_bcache_congested") == 0)

        try directory.write("fs/bcache/aaaa-bbbb/bdev0/dirty_data", "0\n")
        let error = #expect(throws: FileReadError.self) { families = try collect(HostPaths(sysfs: directory.path)) }
        #expect(error?.path.hasSuffix("bdev0/writeback_rate_debug") == true)
    }

    @Test func aMalformedValueNamesItsFile() throws {
        let directory = TestDirectory(prefix: "scalewatch-bcache")
        defer { directory.remove() }
        try directory.write("fs/bcache/aaaa-bbbb/congested", "maybe\n")
        let error = #expect(throws: ParseError.self) { try collect(HostPaths(sysfs: directory.path)) }
        #expect(error?.file.hasSuffix("aaaa-bbbb/congested") == true)
    }

    @Test func skippedWithoutBcache() throws {
        #expect(try collect(HostPaths(sysfs: "/nonexistent")).isEmpty)
    }
}
