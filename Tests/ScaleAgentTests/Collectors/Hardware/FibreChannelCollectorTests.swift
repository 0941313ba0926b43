import Testing
import TestSupport
@testable import ScaleAgent

/// fibrechannel on the fixture tree (this machine has no FC adapter; the files follow
/// drivers/scsi/scsi_transport_fc.c) and its counter parser.
@Suite struct FibreChannelCollectorTests {
    private func collect(paths: HostPaths) throws -> [MetricFamily] {
        var builder = MetricsBuilder()
        try FibreChannelCollector(paths: paths).collect(into: &builder)
        return builder.build()
    }

    @Test func infoPerHostWithoutTheHexPrefixes() throws {
        let info = try collect(paths: Fixtures.paths).first { $0.name == "node_fibrechannel_info" }?.samples ?? []
        #expect(info.map { $0.labels["fc_host"] } == ["host0", "host1"])
        #expect(info.first?.labels["port_name"] == "21000024ff7c5b3a")
        #expect(info.first?.labels["port_id"] == "010e00")
        #expect(info.first?.labels["fabric_name"] == "100000051e0c3a4b")
        #expect(info.first?.labels["supported_speeds"] == "4 Gbit, 8 Gbit, 16 Gbit")
        // host1's driver gives no fabric name: the label is absent, not an error.
        #expect(info.last?.labels["fabric_name"] == nil)
        #expect(info.last?.labels["port_state"] == "Linkdown")
    }

    @Test func countersInHexAndUnimplementedOnesLeftOut() throws {
        let families = try collect(paths: Fixtures.paths)
        let counters = families.filter { $0.type == .counter }
        // 14 counters, less dumped_frames (all ones: not implemented), for host0 only (host1 has no statistics).
        #expect(counters.count == 13)
        #expect(counters.allSatisfy { $0.samples.map { $0.labels["fc_host"] } == ["host0"] })
        #expect(families.first { $0.name == "node_fibrechannel_rx_frames_total" }?.samples.first?.value == 0x3c41a)
        #expect(families.first { $0.name == "node_fibrechannel_fcp_packet_aborts_total" }?.samples.first?.value == 19)
        #expect(families.first { $0.name == "node_fibrechannel_dumped_frames_total" } == nil)
    }

    @Test func anAbsentCounterReadsZero() throws {
        let directory = TestDirectory(prefix: "scalewatch-fc")
        defer { directory.remove() }
        try directory.write("class/fc_host/host3/statistics/tx_frames", "0x10\n")
        let families = try collect(paths: HostPaths(sysfs: directory.path))
        #expect(families.first { $0.name == "node_fibrechannel_tx_frames_total" }?.samples.first?.value == 16)
        #expect(families.first { $0.name == "node_fibrechannel_rx_frames_total" }?.samples.first?.value == 0)
    }

    @Test(arguments: [("0x1f\n", 31), ("0X1F", 31), ("42\n", 42), ("0xffffffffffffffff", UInt64.max)])
    func counters(text: String, value: UInt64) throws {
        #expect(try FibreChannelCollector.counter(text, file: "rx_frames") == value)
    }

    @Test(arguments: ["", "0x", "0x1g", "-1", "+1", "0x+1", "ten", "0x10000000000000000"])
    func rejectsCounters(text: String) {
        let error = #expect(throws: ParseError.self) { try FibreChannelCollector.counter(text, file: "rx_frames") }
        #expect(error?.file == "rx_frames")
        #expect(error?.message.contains("expected a counter in hex (0x…) or decimal") == true)
    }

    @Test func aMalformedCounterFailsTheCollectorWithItsPath() throws {
        let directory = TestDirectory(prefix: "scalewatch-fc")
        defer { directory.remove() }
        try directory.write("class/fc_host/host3/statistics/nos_count", "lots\n")
        let error = #expect(throws: ParseError.self) { try collect(paths: HostPaths(sysfs: directory.path)) }
        #expect(error?.file.hasSuffix("host3/statistics/nos_count") == true)
    }

    @Test func skipsQuietlyWithoutFibreChannel() throws {
        #expect(try collect(paths: HostPaths(sysfs: "/nonexistent")).isEmpty)
    }
}
