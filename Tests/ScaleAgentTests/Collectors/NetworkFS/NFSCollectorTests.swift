import Testing
@testable import ScaleAgent

/// nfs on the fixture file (a 6.1 client without NFSv2; this machine has no NFS mount) and
/// every error of the line parser it shares with nfsd.
@Suite struct NFSCollectorTests {
    private func collect(_ collector: some Collector) throws -> [MetricFamily] {
        var builder = MetricsBuilder()
        try collector.collect(into: &builder)
        return builder.build()
    }

    private func value(_ families: [MetricFamily], _ name: String, _ labels: [String: String] = [:]) -> Double? {
        families.first { $0.name == name }?.samples.first { sample in labels.allSatisfy { sample.labels[$0.key] == $0.value } }?.value
    }

    @Test func clientTotalsAndProceduresPerVersion() throws {
        let families = try collect(NFSCollector(paths: Fixtures.paths))
        #expect(value(families, "node_nfs_packets_total", ["protocol": "tcp"]) == 1218)
        #expect(value(families, "node_nfs_connections_total") == 61)
        #expect(value(families, "node_nfs_rpcs_total") == 1_218_785)
        #expect(value(families, "node_nfs_rpc_retransmissions_total") == 374)
        #expect(value(families, "node_nfs_rpc_authentication_refreshes_total") == 1_218_815)
        let requests = families.first { $0.name == "node_nfs_requests_total" }?.samples ?? []
        // Every procedure of every version, as node_exporter: 18 + 22 + 59.
        #expect(requests.count == 99)
        // No proc2 line: version 2 reads 0.
        #expect(requests.filter { $0.labels["proto"] == "2" }.allSatisfy { $0.value == 0 })
        #expect(value(families, "node_nfs_requests_total", ["proto": "3", "method": "GetAttr"]) == 1_061_909)
        #expect(value(families, "node_nfs_requests_total", ["proto": "3", "method": "Commit"]) == 23729)
        #expect(value(families, "node_nfs_requests_total", ["proto": "4", "method": "Read"]) == 48)
        #expect(value(families, "node_nfs_requests_total", ["proto": "4", "method": "Clone"]) == 163)
    }

    @Test func anOlderClientKernelPadsVersion4WithZeros() throws {
        let stats = try NFSCollector.parse("proc4 3 1 2 3\n", file: "nfs")
        #expect(stats.procedures["4"] == [1, 2, 3])
        #expect(NFSProcedures.aligned(stats.procedures["4"]!, to: NFSProcedures.clientVersion4).count == 59)
    }

    @Test func skipsQuietlyWithoutTheNFSModule() throws {
        #expect(try collect(NFSCollector(paths: HostPaths(procfs: "/nonexistent"))).isEmpty)
    }

    @Test(arguments: [
        ("net 1 2 3 4\nrpc\n", 2, "found no values"),
        ("net 1 2 x 4\n", 1, "expected an unsigned integer in 'net', found 'x'"),
        ("net 1 2 -3 4\n", 1, "found '-3'"),
        ("net 1 2 3\n", 1, "expected 4 values after 'net', found 3"),
        ("rpc 1 2\n", 1, "expected 3 values after 'rpc'"),
        ("proc3 22 1 2 3\n", 1, "'proc3' declares 22 counts but 3 follow"),
        ("proc2 2 1 2\n", 1, "expected at least 18 counts in 'proc2', found 2"),
        ("\n\nproc4 0\n", 3, "expected at least 1 counts in 'proc4'"),
    ])
    func clientRejectsMalformed(text: String, line: Int, expected: String) {
        let error = #expect(throws: ParseError.self) { try NFSCollector.parse(text, file: "/proc/net/rpc/nfs") }
        #expect(error?.file == "/proc/net/rpc/nfs")
        #expect(error?.line == line)
        #expect(error?.message.contains(expected) == true, "\(String(describing: error))")
    }
}
