import Testing
import TestSupport
@testable import ScaleAgent

@Suite struct NetclassCollectorTests {
    @Test func parsesDecimalHexAndSpeed() throws {
        let interface = try NetclassCollector.parse(
            device: "eth0",
            attributes: ["flags": "0x1003\n", "mtu": "1500\n", "speed": "-1\n", "operstate": "up\n", "address": "02:fc:00:00:00:01\n"],
            directory: "/sys/class/net/eth0")
        #expect(interface.info["operstate"] == "up")
        #expect(interface.info["duplex"] == "")
        #expect(interface.values == [
            .init(metric: "flags", value: 0x1003), .init(metric: "mtu_bytes", value: 1500),
            .init(metric: "speed_bytes", value: -125_000),
        ])
    }

    @Test(arguments: [("mtu", "abc\n"), ("flags", "0xzz\n"), ("speed", "\n")])
    func rejectsANonNumber(attribute: String, value: String) {
        let error = #expect(throws: ParseError.self) {
            try NetclassCollector.parse(device: "eth0", attributes: [attribute: value], directory: "/sys/class/net/eth0")
        }
        #expect(error?.file == "/sys/class/net/eth0/" + attribute)
        #expect(error?.message.contains("expected an integer") == true)
    }

    @Test func collectsFromFixtureSkippingPlainFiles() throws {
        var builder = MetricsBuilder()
        try NetclassCollector(paths: Fixtures.paths).collect(into: &builder)
        let families = builder.build()
        let up = families.first { $0.name == "node_network_up" }?.samples ?? []
        #expect(up.map { $0.labels["device"] } == ["bond0", "eth0", "lo"])
        #expect(up.map(\.value) == [1, 1, 0])
        let speed = families.first { $0.name == "node_network_speed_bytes" }?.samples ?? []
        #expect(speed.map(\.value) == [125_000_000])
        #expect(families.first { $0.name == "node_network_carrier_changes_total" }?.type == .counter)
    }

    @Test func skipsQuietlyWithoutSysClassNet() throws {
        var builder = MetricsBuilder()
        try NetclassCollector(paths: HostPaths(sysfs: "/nonexistent")).collect(into: &builder)
        #expect(builder.build().isEmpty)
    }
}

@Suite struct BondingCollectorTests {
    @Test(arguments: [([String](), 0, 0), (["up\n", "down\n", "up"], 3, 2), (["going back\n"], 1, 0)])
    func countsSlavesAndActive(states: [String], slaves: Int, active: Int) {
        let counts = BondingCollector.count(states)
        #expect(counts.slaves == slaves)
        #expect(counts.active == active)
    }

    @Test func collectsFromFixture() throws {
        var builder = MetricsBuilder()
        try BondingCollector(paths: Fixtures.paths).collect(into: &builder)
        let families = builder.build()
        #expect(families.first { $0.name == "node_bonding_slaves" }?.samples.first?.value == 2)
        #expect(families.first { $0.name == "node_bonding_active" }?.samples.first?.value == 1)
    }

    @Test func aMasterWithoutItsSlavesFileFails() throws {
        let directory = TestDirectory(prefix: "scalewatch-bonding")
        defer { directory.remove() }
        try directory.write("class/net/bonding_masters", "bond0\n")
        var builder = MetricsBuilder()
        #expect(throws: FileReadError.self) { try BondingCollector(paths: HostPaths(sysfs: directory.path)).collect(into: &builder) }
    }
}
