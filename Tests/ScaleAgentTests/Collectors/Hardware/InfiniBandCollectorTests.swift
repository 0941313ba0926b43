import Testing
import TestSupport
@testable import ScaleAgent

/// infiniband on the fixture tree (this machine has no RDMA device; the files follow
/// Documentation/ABI/stable/sysfs-class-infiniband) and its value parsers.
@Suite struct InfiniBandCollectorTests {
    private func collect(paths: HostPaths) throws -> [MetricFamily] {
        var builder = MetricsBuilder()
        try InfiniBandCollector(paths: paths).collect(into: &builder)
        return builder.build()
    }

    private func samples(_ families: [MetricFamily], _ name: String) -> [String] {
        (families.first { $0.name == name }?.samples ?? []).map {
            "\($0.labels["device"] ?? "")/\($0.labels["port"] ?? "")=\($0.value)"
        }
    }

    @Test func infoPerDeviceWithAbsentLabelsLeftOut() throws {
        let info = try collect(paths: Fixtures.paths).first { $0.name == "node_infiniband_info" }?.samples ?? []
        #expect(info.map { $0.labels["device"] } == ["mlx4_0", "rxe0"])
        #expect(info.first?.labels["board_id"] == "SM_1141000001000")
        #expect(info.first?.labels["firmware_version"] == "2.42.5000")
        #expect(info.first?.labels["hca_type"] == "MT4099")
        #expect(info.last?.labels["board_id"] == nil)
    }

    @Test func portStatesAndRates() throws {
        let families = try collect(paths: Fixtures.paths)
        #expect(samples(families, "node_infiniband_state_id") == ["mlx4_0/1=4.0", "mlx4_0/2=1.0", "rxe0/1=4.0"])
        #expect(samples(families, "node_infiniband_physical_state_id") == ["mlx4_0/1=5.0", "mlx4_0/2=3.0", "rxe0/1=5.0"])
        #expect(samples(families, "node_infiniband_rate_bytes_per_second") == ["mlx4_0/1=5000000000.0", "mlx4_0/2=1250000000.0", "rxe0/1=312500000.0"])
    }

    @Test func countersWithDataInBytesAndNoPMALeftOut() throws {
        let families = try collect(paths: Fixtures.paths)
        // 32-bit words, times 4.
        #expect(samples(families, "node_infiniband_port_data_received_bytes_total") == ["mlx4_0/1=18527668.0", "mlx4_0/2=0.0"])
        #expect(samples(families, "node_infiniband_legacy_data_transmitted_bytes_total") == ["mlx4_0/1=14933760.0", "mlx4_0/2=0.0"])
        #expect(samples(families, "node_infiniband_link_downed_total") == ["mlx4_0/1=0.0", "mlx4_0/2=2.0"])
        // Port 2 says "N/A (no PMA)".
        #expect(samples(families, "node_infiniband_port_discards_received_total") == ["mlx4_0/1=0.0"])
        #expect(samples(families, "node_infiniband_vl15_dropped_total").count == 2)
        let counterFamilies = families.filter { $0.type == .counter }
        #expect(counterFamilies.count == 22 + 8)
    }

    @Test(arguments: [("4: ACTIVE\n", 4), ("5: LinkUp", 5), ("0:", 0), (" 1 : DOWN", 1)])
    func states(text: String, id: UInt32) throws {
        #expect(try InfiniBandCollector.stateID(text, file: "state") == id)
    }

    @Test(arguments: ["ACTIVE", "4 ACTIVE", "x: ACTIVE", "-1: DOWN", "4: A: B", ""])
    func rejectsStates(text: String) {
        let error = #expect(throws: ParseError.self) { try InfiniBandCollector.stateID(text, file: "state") }
        #expect(error?.message.contains("expected '<id>: <NAME>'") == true)
    }

    @Test(arguments: [("100 Gb/sec (4X EDR)\n", 12.5e9), ("2.5 Gb/sec (1X SDR)", 312_500_000), ("56 Gb/sec (4X FDR)", 7e9)])
    func rates(text: String, bytes: Double) throws {
        #expect(try InfiniBandCollector.bytesPerSecond(text, file: "rate") == bytes)
    }

    @Test(arguments: ["", "100", "fast Gb/sec", "1e3 Gb/sec", "-1 Gb/sec"])
    func rejectsRates(text: String) {
        let error = #expect(throws: ParseError.self) { try InfiniBandCollector.bytesPerSecond(text, file: "rate") }
        #expect(error?.message.contains("expected '<number> Gb/sec …'") == true)
    }

    @Test func rejectsNonDecimalCounters() throws {
        #expect(try InfiniBandCollector.counter("N/A (no PMA)\n", file: "symbol_error") == nil)
        #expect(try InfiniBandCollector.counter("17\n", file: "symbol_error") == 17)
        for text in ["", "0x11", "-1", "many"] {
            let error = #expect(throws: ParseError.self) { try InfiniBandCollector.counter(text, file: "symbol_error") }
            #expect(error?.message.contains("expected a decimal counter") == true)
        }
    }

    @Test(arguments: [
        (["ports/1/state": "broken\n", "ports/1/phys_state": "5: LinkUp\n", "ports/1/rate": "100 Gb/sec (4X EDR)\n"],
         "mlx5_0/ports/1/state", "expected '<id>: <NAME>'"),
        (["ports/1/state": "4: ACTIVE\n", "ports/1/phys_state": "5: LinkUp\n", "ports/1/rate": "fast\n"],
         "mlx5_0/ports/1/rate", "expected '<number> Gb/sec …'"),
        (["ports/one/state": "4: ACTIVE\n"], "mlx5_0/ports/one", "expected a port number"),
        (["board_id": "MT_1\n"], "mlx5_0/ports", "expected the ports directory"),
        (["ports/1/state": "4: ACTIVE\n", "ports/1/phys_state": "5: LinkUp\n", "ports/1/rate": "100 Gb/sec (4X EDR)\n",
          "ports/1/counters/symbol_error": "0x1\n"], "mlx5_0/ports/1/counters/symbol_error", "expected a decimal counter"),
    ])
    func aMalformedTreeFailsTheCollectorWithThePath(files: [String: String], path: String, expected: String) throws {
        let directory = TestDirectory(prefix: "scalewatch-ib")
        defer { directory.remove() }
        for (file, text) in files { try directory.write("class/infiniband/mlx5_0/" + file, text) }
        let error = #expect(throws: ParseError.self) { try collect(paths: HostPaths(sysfs: directory.path)) }
        #expect(error?.file.hasSuffix(path) == true, "\(String(describing: error))")
        #expect(error?.message.contains(expected) == true, "\(String(describing: error))")
    }

    @Test func skipsQuietlyWithoutInfiniBand() throws {
        #expect(try collect(paths: HostPaths(sysfs: "/nonexistent")).isEmpty)
    }
}
