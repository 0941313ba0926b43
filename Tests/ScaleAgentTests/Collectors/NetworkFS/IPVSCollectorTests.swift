import Testing
import TestSupport
@testable import ScaleAgent

/// ipvs on the fixture files (this machine has no ip_vs module) and its parsers' errors.
@Suite struct IPVSCollectorTests {
    private func collect(paths: HostPaths) throws -> [MetricFamily] {
        var builder = MetricsBuilder()
        try IPVSCollector(paths: paths).collect(into: &builder)
        return builder.build()
    }

    @Test func totalsInHex() throws {
        let families = try collect(paths: Fixtures.paths)
        let totals = ["connections", "incoming_packets", "outgoing_packets", "incoming_bytes", "outgoing_bytes"].map { name in
            families.first { $0.name == "node_ipvs_\(name)_total" }?.samples.first?.value
        }
        #expect(totals == [0x16AA370, 0xE33656E5, 0, 0x51D8C8883AB3, 0])
    }

    @Test func backendsWithNodeExportersLabels() throws {
        let families = try collect(paths: Fixtures.paths)
        let active = families.first { $0.name == "node_ipvs_backend_connections_active" }?.samples ?? []
        let rows = active.map { sample in
            ["local_address", "local_port", "remote_address", "remote_port", "proto", "local_mark"]
                .map { sample.labels[$0] ?? "" }.joined(separator: " ") + " = \(Int(sample.value))"
        }
        #expect(rows == [
            " 0 192.168.50.26 3306 FWM 00000010 = 5",
            "192.168.0.22 443 192.168.82.22 443 TCP  = 248",
            "192.168.0.22 443 192.168.83.21 443 TCP  = 0",
            "192.168.0.22 443 192.168.83.24 443 TCP  = 12",
            "192.168.0.22 53 192.168.82.22 53 UDP  = 0",
            "2001:db8::1 80 2001:db8::2 80 TCP  = 3",
        ])
        let weight = families.first { $0.name == "node_ipvs_backend_weight" }?.samples.map(\.value)
        #expect(weight == [10, 100, 0, 100, 1, 1])
        let inactive = families.first { $0.name == "node_ipvs_backend_connections_inactive" }?.samples.map(\.value)
        #expect(inactive == [1, 2, 7, 1, 4, 0])
    }

    @Test func aRealServerListedTwiceIsSummed() throws {
        let text = "TCP  0A000001:0050 rr\n  -> 0A000002:0050 Masq 1 2 3\n  -> 0A000002:0050 Masq 1 5 0\n"
        let backends = try IPVSBackend.parseAll(text, file: "ip_vs")
        #expect(backends.count == 2)
        let directory = TestDirectory(prefix: "scalewatch-ipvs")
        defer { directory.remove() }
        try directory.write("net/ip_vs", text)
        try directory.write("net/ip_vs_stats", "h\nh\n 1 2 3 4 5\n")
        let families = try collect(paths: HostPaths(procfs: directory.path))
        #expect(families.first { $0.name == "node_ipvs_backend_connections_active" }?.samples.map(\.value) == [7])
    }

    @Test(arguments: [
        ("C0A80016:01BB", "192.168.0.22", 443),
        ("c0a80016:01bb", "192.168.0.22", 443),
        ("[0000:0000:0000:0000:0000:ffff:0a00:0001]:0050", "10.0.0.1", 80),
        ("[fe80:0000:0000:0000:0202:b3ff:fe1e:8329]:FFFF", "fe80::202:b3ff:fe1e:8329", 65535),
    ])
    func endpoints(text: String, address: String, port: Int) {
        let parsed = IPVSBackend.endpoint(Substring(text))
        #expect(parsed?.0 == address)
        #expect(parsed.map { Int($0.1) } == port)
    }

    @Test(arguments: ["C0A8001:01BB", "C0A80016", "C0A8001G:01BB", "C0A80016:+1BB", "C0A80016:10000", "[::zz]:0050", "[::1]:"])
    func rejectsEndpoints(text: String) {
        #expect(IPVSBackend.endpoint(Substring(text)) == nil)
    }

    @Test func skipsQuietlyWithoutIPVS() throws {
        #expect(try collect(paths: HostPaths(procfs: "/nonexistent")).isEmpty)
    }

    @Test(arguments: [
        ("  -> C0A85216:01BB Masq 1 0 0\n", 1, "expected a service line before this real server"),
        ("TCP\n", 1, "expected 'TCP <address>:<port> <scheduler>'"),
        ("TCP C0A80016 wlc\n", 1, "expected a hex address:port, found 'C0A80016'"),
        ("FWM\n", 1, "expected 'FWM <mark> <scheduler>'"),
        ("TCP C0A80016:01BB wlc\n  -> C0A85216:01BB Masq 1 0\n", 2, "found 5 fields"),
        ("TCP C0A80016:01BB wlc\n  -> C0A85216 Masq 1 0 0\n", 2, "expected a hex address:port"),
        ("TCP C0A80016:01BB wlc\n  -> C0A85216:01BB Masq one 0 0\n", 2, "expected weight and connection counts, found 'one'"),
        ("ICMP C0A80016:01BB wlc\n", 1, "expected a service (TCP, UDP, SCTP, FWM) or '->' line, found 'ICMP'"),
    ])
    func backendsRejectMalformed(text: String, line: Int, expected: String) {
        let error = #expect(throws: ParseError.self) { try IPVSBackend.parseAll(text, file: "/proc/net/ip_vs") }
        #expect(error?.file == "/proc/net/ip_vs")
        #expect(error?.line == line)
        #expect(error?.message.contains(expected) == true, "\(String(describing: error))")
    }

    @Test(arguments: [
        ("Total\nConns", 0, "found 2 lines"),
        ("h\nh\n 1 2 3 4\n", 3, "expected 5 hex totals, found 4 fields"),
        ("h\nh\n 1 2 3 4 X\n", 3, "expected a hex total, found 'X'"),
        ("h\nh\n 1 2 3 4 11112222333344445\n", 3, "expected a hex total"),
    ])
    func totalsRejectMalformed(text: String, line: Int, expected: String) {
        let error = #expect(throws: ParseError.self) { try IPVSCollector.parseTotals(text, file: "/proc/net/ip_vs_stats") }
        #expect(error?.line == line)
        #expect(error?.message.contains(expected) == true, "\(String(describing: error))")
    }

    @Test func statsWithoutTheBackendListIsAnError() throws {
        let directory = TestDirectory(prefix: "scalewatch-ipvs")
        defer { directory.remove() }
        try directory.write("net/ip_vs_stats", "h\nh\n 1 2 3 4 5\n")
        #expect(throws: FileReadError.self) { try collect(paths: HostPaths(procfs: directory.path)) }
    }
}
