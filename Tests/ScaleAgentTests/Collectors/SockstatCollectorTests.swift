import Testing
@testable import ScaleAgent

@Suite struct SockstatCollectorTests {
    @Test func parsesLabelledPairs() throws {
        let lines = try SockstatCollector.parse("sockets: used 24\nTCP: inuse 2 orphan 0 tw 7 alloc 2 mem 187\n\n", file: "sockstat")
        #expect(lines == [
            .init(label: "sockets", values: [("used", 24)]),
            .init(label: "TCP", values: [("inuse", 2), ("orphan", 0), ("tw", 7), ("alloc", 2), ("mem", 187)]),
        ])
    }

    @Test(arguments: [
        ("TCP inuse 2\n", 1, "expected a protocol name ending in ':', found 'TCP'"),
        ("sockets: used 24\n: inuse 2\n", 2, "expected a protocol name ending in ':', found ':'"),
        ("sockets: used 24\nTCP: inuse 2 orphan\n", 2, "expected name-value pairs after 'TCP:', found 3 fields"),
        ("TCP: inuse two\n", 1, "expected a count for TCP inuse, found 'two'"),
    ])
    func rejectsMalformed(text: String, line: Int, expected: String) {
        let error = #expect(throws: ParseError.self) { try SockstatCollector.parse(text, file: "/proc/net/sockstat") }
        #expect(error?.file == "/proc/net/sockstat")
        #expect(error?.line == line)
        #expect(error?.message.contains(expected) == true, "\(error?.message ?? "")")
    }

    @Test func collectsFromFixture() throws {
        var builder = MetricsBuilder()
        try SockstatCollector(paths: Fixtures.paths, pageSize: 4096).collect(into: &builder)
        let families = builder.build()
        #expect(Set(families.map(\.name)) == [
            "node_sockstat_sockets_used",
            "node_sockstat_TCP_inuse", "node_sockstat_TCP_orphan", "node_sockstat_TCP_tw", "node_sockstat_TCP_alloc",
            "node_sockstat_TCP_mem", "node_sockstat_TCP_mem_bytes",
            "node_sockstat_UDP_inuse", "node_sockstat_UDP_mem", "node_sockstat_UDP_mem_bytes",
            "node_sockstat_UDPLITE_inuse", "node_sockstat_RAW_inuse", "node_sockstat_FRAG_inuse", "node_sockstat_FRAG_memory",
            "node_sockstat_TCP6_inuse", "node_sockstat_UDP6_inuse", "node_sockstat_UDPLITE6_inuse", "node_sockstat_RAW6_inuse",
            "node_sockstat_FRAG6_inuse", "node_sockstat_FRAG6_memory",
        ])
        #expect(families.allSatisfy { $0.type == .gauge && $0.samples.count == 1 })
        #expect(families.value("node_sockstat_sockets_used") == 24)
        #expect(families.value("node_sockstat_TCP_tw") == 37)
        #expect(families.value("node_sockstat_TCP_inuse") == 12)
        #expect(families.value("node_sockstat_TCP_orphan") == 1)
        #expect(families.value("node_sockstat_TCP_mem") == 187)
        #expect(families.value("node_sockstat_TCP_mem_bytes") == Double(187 * 4096))
        #expect(families.value("node_sockstat_UDP_mem_bytes") == Double(2 * 4096))
        #expect(families.value("node_sockstat_TCP6_inuse") == 4)
        #expect(families.first { $0.name == "node_sockstat_TCP_tw" }?.help == "Number of TCP sockets in state tw.")
        #expect(families.first { $0.name == "node_sockstat_sockets_used" }?.help == "Number of IPv4 sockets in use.")
    }

    @Test func missingFilesAreDisabledIPVersions() throws {
        let tree = ScratchTree()
        tree.write("net/sockstat6", "TCP6: inuse 1 future 9\n")
        var builder = MetricsBuilder()
        try SockstatCollector(paths: HostPaths(procfs: tree.root), pageSize: 4096).collect(into: &builder)
        // Unknown keys are left out, as node_exporter does.
        #expect(builder.build().map(\.name) == ["node_sockstat_TCP6_inuse"])
    }
}

extension [MetricFamily] {
    fileprivate func value(_ name: String, _ labels: [String: String] = [:]) -> Double? {
        first { $0.name == name }?.samples.first { sample in
            sample.labels.count == labels.count && labels.allSatisfy { sample.labels[$0.key] == $0.value }
        }?.value
    }
}
