import Testing
import TestSupport
@testable import ScaleAgent

/// nfsd on the fixture file (a 5.10 server; this machine runs none) and its line errors.
@Suite struct NFSDCollectorTests {
    private func collect(_ collector: some Collector) throws -> [MetricFamily] {
        var builder = MetricsBuilder()
        try collector.collect(into: &builder)
        return builder.build()
    }

    private func value(_ families: [MetricFamily], _ name: String, _ labels: [String: String] = [:]) -> Double? {
        families.first { $0.name == name }?.samples.first { sample in labels.allSatisfy { sample.labels[$0.key] == $0.value } }?.value
    }

    @Test func serverCountersAndOperations() throws {
        let families = try collect(NFSDCollector(paths: Fixtures.paths))
        #expect(value(families, "node_nfsd_reply_cache_nocache_total") == 18622)
        #expect(value(families, "node_nfsd_file_handles_stale_total") == 3)
        #expect(value(families, "node_nfsd_disk_bytes_read_total") == 157_286_400)
        #expect(value(families, "node_nfsd_server_threads") == 8)
        #expect(value(families, "node_nfsd_read_ahead_cache_size_blocks") == 32)
        #expect(value(families, "node_nfsd_read_ahead_cache_not_found_total") == 17)
        #expect(value(families, "node_nfsd_packets_total", ["proto": "udp"]) == 2)
        #expect(value(families, "node_nfsd_rpc_errors_total", ["error": "auth"]) == 2)
        #expect(value(families, "node_nfsd_server_rpcs_total") == 18628)
        let requests = families.first { $0.name == "node_nfsd_requests_total" }?.samples ?? []
        // Versions 2 and 3 without NULL, and node_exporter's 33 NFSv4 operations.
        #expect(requests.count == 17 + 21 + 33)
        #expect(value(families, "node_nfsd_requests_total", ["proto": "2", "method": "GetAttr"]) == 69)
        #expect(value(families, "node_nfsd_requests_total", ["proto": "3", "method": "Read"]) == 5120)
        // Operation numbers of RFC 7530: VERIFY 37, WRITE 38, RELEASE_LOCKOWNER 39.
        #expect(value(families, "node_nfsd_requests_total", ["proto": "4", "method": "GetAttr"]) == 8179)
        #expect(value(families, "node_nfsd_requests_total", ["proto": "4", "method": "Verify"]) == 7)
        #expect(value(families, "node_nfsd_requests_total", ["proto": "4", "method": "Write"]) == 33)
        #expect(value(families, "node_nfsd_requests_total", ["proto": "4", "method": "RelLockOwner"]) == 1)
    }

    @Test func aNewerServerKernelWithoutReadAheadAndWithNewKeys() throws {
        let text = "rc 1 2 3\nth 4 0\nwdeleg_getattr 5\nproc4ops 39 " + Array(repeating: "1", count: 39).joined(separator: " ") + "\n"
        let stats = try NFSDCollector.parse(text, file: "nfsd")
        #expect(stats.threads == 4)
        #expect(stats.readAheadCacheSize == 0)
        #expect(stats.procedures["4"]?.count == 39)
    }

    @Test func skipsQuietlyWithoutNFSd() throws {
        #expect(try collect(NFSDCollector(paths: HostPaths(procfs: "/nonexistent"))).isEmpty)
    }

    @Test(arguments: [
        ("rc 1 2\n", 1, "expected 3 values after 'rc'"),
        ("rc 1 2 3\nfh 1 2\n", 2, "expected 5 values after 'fh'"),
        ("io 1\n", 1, "expected 2 values after 'io'"),
        ("th 8\n", 1, "expected at least 2 values after 'th', found 1"),
        ("th 8 x 0.000\n", 1, "found 'x'"),
        ("ra 32 0 0\n", 1, "expected 12 values after 'ra'"),
        ("rpc 1 2 3 4\n", 1, "expected 5 values after 'rpc'"),
        ("proc4 1 7\n", 1, "expected at least 2 counts in 'proc4'"),
        ("proc4ops 3 0 0 0\n", 1, "expected at least 39 counts in 'proc4ops', found 3"),
        ("proc3 99999999999999999999 1\n", 1, "expected an unsigned integer in 'proc3'"),
    ])
    func serverRejectsMalformed(text: String, line: Int, expected: String) {
        let error = #expect(throws: ParseError.self) { try NFSDCollector.parse(text, file: "/proc/net/rpc/nfsd") }
        #expect(error?.line == line)
        #expect(error?.message.contains(expected) == true, "\(String(describing: error))")
    }

    @Test func aMalformedFileFailsTheCollectorWithItsPath() throws {
        let directory = TestDirectory(prefix: "scalewatch-nfsd")
        defer { directory.remove() }
        try directory.write("net/rpc/nfsd", "rc 1 2 3\nio 1 2 3\n")
        let error = #expect(throws: ParseError.self) { try collect(NFSDCollector(paths: HostPaths(procfs: directory.path))) }
        #expect(error?.description == directory.path + "/net/rpc/nfsd:2: expected 2 values after 'io', found 3")
    }
}
