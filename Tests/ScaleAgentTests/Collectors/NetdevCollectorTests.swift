import Testing
@testable import ScaleAgent

@Suite struct NetdevCollectorTests {
    static let header = """
        Inter-|   Receive                                                |  Transmit
         face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed

        """

    @Test func parsesColumnsFromTheHeader() throws {
        let text = Self.header + """
                lo:   64219      67    0    0    0     0          0         0    64219      67    0    0    0     0       0          0
              eth0:54013780123    1789    0    0    0     0          0         0    69284     805    0    0    0     0       0          0

            """
        let table = try NetdevCollector.parse(text, file: "net/dev")
        #expect(table.fields == [
            "receive_bytes", "receive_packets", "receive_errs", "receive_drop", "receive_fifo", "receive_frame",
            "receive_compressed", "receive_multicast", "transmit_bytes", "transmit_packets", "transmit_errs",
            "transmit_drop", "transmit_fifo", "transmit_colls", "transmit_carrier", "transmit_compressed",
        ])
        #expect(table.devices.map(\.name) == ["lo", "eth0"])
        // A counter wide enough to touch the colon still parses.
        #expect(table.devices[1].counters.prefix(2) == [54_013_780_123, 1789])
    }

    @Test(arguments: [
        ("Inter-|   Receive |  Transmit", 2, "expected two header lines"),
        ("Inter-|   Receive |  Transmit\n face bytes packets\n", 2, "expected a header"),
        (header + "  eth0 1 2 3 4 5 6 7 8 1 2 3 4 5 6 7 8\n", 3, "expected 'device:'"),
        (header + "  : 1 2 3 4 5 6 7 8 1 2 3 4 5 6 7 8\n", 3, "expected 'device:'"),
        (header + "  lo: 1 2 3 4 5 6 7 8 1 2 3 4 5 6 7 8\n  eth0: 1 2 3\n", 4, "expected 16 counters for eth0, found 3"),
        (header + "  eth0: 1 2 3 4 5 6 7 8 1 2 3 4 5 6 7 -8\n", 3, "expected a counter for eth0, found '-8'"),
    ])
    func rejectsMalformed(text: String, line: Int, expected: String) {
        let error = #expect(throws: ParseError.self) { try NetdevCollector.parse(text, file: "/proc/net/dev") }
        #expect(error?.file == "/proc/net/dev")
        #expect(error?.line == line)
        #expect(error?.message.contains(expected) == true, "\(error?.message ?? "")")
    }

    @Test func collectsFromFixture() throws {
        var builder = MetricsBuilder()
        try NetdevCollector(paths: Fixtures.paths).collect(into: &builder)
        let families = builder.build()
        // 16 from /proc/net/dev, and receive_nohandler from sysfs for the devices it has.
        #expect(families.count == 17)
        let nohandler = families.first { $0.name == "node_network_receive_nohandler_total" }
        #expect(nohandler?.samples.map { $0.labels["device"] } == ["lo", "eth0"])
        #expect(families.allSatisfy { $0.type == .counter && $0.name.hasSuffix("_total") })
        let bytes = families.first { $0.name == "node_network_receive_bytes_total" }
        #expect(bytes?.help == "Network device statistic receive_bytes.")
        #expect(bytes?.samples.map { $0.labels["device"] } == ["lo", "eth0", "veth1a2b3c4", "ifb0"])
        #expect(families.value("node_network_receive_bytes_total", ["device": "eth0"]) == 54_013_780)
        #expect(families.value("node_network_receive_errs_total", ["device": "eth0"]) == 2)
        #expect(families.value("node_network_receive_drop_total", ["device": "eth0"]) == 5)
        #expect(families.value("node_network_receive_frame_total", ["device": "eth0"]) == 1)
        #expect(families.value("node_network_receive_multicast_total", ["device": "eth0"]) == 12)
        #expect(families.value("node_network_transmit_drop_total", ["device": "eth0"]) == 3)
        #expect(families.value("node_network_transmit_bytes_total", ["device": "veth1a2b3c4"]) == 12_345_678_901)
        #expect(families.value("node_network_transmit_colls_total", ["device": "lo"]) == 0)
        #expect(families.value("node_network_transmit_carrier_total", ["device": "lo"]) == 0)
    }

    @Test func excludesDevices() throws {
        var builder = MetricsBuilder()
        try NetdevCollector(paths: Fixtures.paths, deviceExclude: Pattern("^(veth|lo$)")).collect(into: &builder)
        let bytes = builder.build().first { $0.name == "node_network_transmit_packets_total" }
        #expect(bytes?.samples.map { $0.labels["device"] } == ["eth0", "ifb0"])
    }
}

extension [MetricFamily] {
    fileprivate func value(_ name: String, _ labels: [String: String] = [:]) -> Double? {
        first { $0.name == name }?.samples.first { sample in
            sample.labels.count == labels.count && labels.allSatisfy { sample.labels[$0.key] == $0.value }
        }?.value
    }
}
