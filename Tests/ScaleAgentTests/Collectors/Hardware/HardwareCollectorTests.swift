import Testing
import TestSupport
@testable import ScaleAgent

/// cpufreq, thermal_zone, dmi and edac on the fixture tree (this machine has none of them:
/// the fixtures follow the kernel's documented sysfs files) and SysfsValue's errors.
@Suite struct HardwareCollectorTests {
    private func collect(_ collector: some Collector) throws -> [MetricFamily] {
        var builder = MetricsBuilder()
        try collector.collect(into: &builder)
        return builder.build()
    }

    @Test(arguments: ["", "\n", "12 13\n", "hot\n", "0x10\n"])
    func rejectsANonInteger(text: String) {
        let error = #expect(throws: ParseError.self) { try SysfsValue.integer(text, file: "temp") }
        #expect(error?.file == "temp")
        #expect(error?.message.contains("expected an integer") == true)
    }

    @Test func readsNegativeIntegers() throws {
        #expect(try SysfsValue.integer("-2500\n", file: "temp") == -2500)
    }

    @Test func rejectsANegativeFrequency() {
        #expect(throws: ParseError.self) { try CpufreqCollector.hertz("-1\n", file: "scaling_cur_freq") }
    }

    @Test func cpufreqInHertzPerCPU() throws {
        let families = try collect(CpufreqCollector(paths: Fixtures.paths))
        let scaling = families.first { $0.name == "node_cpu_scaling_frequency_hertz" }?.samples ?? []
        #expect(scaling.map { $0.labels["cpu"] } == ["0", "1"])
        #expect(scaling.map(\.value) == [1.8e9, 1.801e9])
        // cpuinfo_cur_freq only where readable: cpu1 has none in the fixtures.
        #expect(families.first { $0.name == "node_cpu_frequency_hertz" }?.samples.count == 1)
    }

    @Test func thermalZonesInCelsiusAndCoolingDevices() throws {
        let families = try collect(ThermalZoneCollector(paths: Fixtures.paths))
        let temps = families.first { $0.name == "node_thermal_zone_temp" }?.samples ?? []
        #expect(temps.map(\.value) == [54, -2.5])
        #expect(temps.first?.labels["type"] == "x86_pkg_temp")
        #expect(families.first { $0.name == "node_cooling_device_max_state" }?.samples.first?.value == 3)
    }

    @Test func dmiInfoOnlyWithProvidedLabels() throws {
        let info = try collect(DMICollector(paths: Fixtures.paths)).first?.samples.first
        #expect(info?.labels["system_vendor"] == "QEMU")
        #expect(info?.labels["product_serial"] == nil)
    }

    /// Read once, as node_exporter does: the firmware's identity does not change while the
    /// system runs, and a VM without DMI would cost twenty failed opens per collection.
    @Test func dmiIsReadByTheFirstCollectionOnly() throws {
        let tree = ScratchTree()
        tree.write("class/dmi/id/sys_vendor", "QEMU\n")
        let collector = DMICollector(paths: HostPaths(sysfs: tree.root))
        #expect(try collect(collector).first?.samples.first?.labels["system_vendor"] == "QEMU")
        tree.write("class/dmi/id/sys_vendor", "Other\n")
        tree.write("class/dmi/id/board_name", "B1\n")
        let later = try collect(collector).first?.samples.first?.labels
        #expect(later?["system_vendor"] == "QEMU")
        #expect(later?["board_name"] == nil)
    }

    @Test func edacCountsPerControllerAndCsrow() throws {
        let families = try collect(EDACCollector(paths: Fixtures.paths))
        let rows = families.first { $0.name == "node_edac_csrow_correctable_errors_total" }?.samples ?? []
        #expect(rows.map { $0.labels["csrow"] } == ["unknown", "0", "1"])
        #expect(rows.map(\.value) == [1, 2, 0])
    }

    @Test(arguments: [
        HostPaths(procfs: "/nonexistent", sysfs: "/nonexistent", rootfs: "/nonexistent")
    ])
    func skipQuietlyWithoutTheirFiles(paths: HostPaths) throws {
        let collectors: [any Collector] = [
            CpufreqCollector(paths: paths), ThermalZoneCollector(paths: paths), DMICollector(paths: paths),
            EDACCollector(paths: paths), SchedstatCollector(paths: paths),
        ]
        for collector in collectors {
            var builder = MetricsBuilder()
            try collector.collect(into: &builder)
            #expect(builder.build().isEmpty, "\(collector.name)")
        }
    }
}

@Suite struct RAPLAndPowerSupplyTests {
    @Test(arguments: [
        (["package-0", "core", "dram", "package-1", "core"], ["package/0", "core/0", "dram/0", "package/1", "core/1"]),
        (["psys", "odd name"], ["psys/0", "odd_name/0"]),
    ])
    func raplDomainsAndIndexes(names: [String], expected: [String]) {
        var seen: [String: Int] = [:]
        let got = names.map { RAPLCollector.domainAndIndex($0, seen: &seen) }.map { "\($0.0)/\($0.1)" }
        #expect(got == expected)
    }

    @Test func raplJoulesFromFixture() throws {
        var builder = MetricsBuilder()
        try RAPLCollector(paths: Fixtures.paths).collect(into: &builder)
        let package = builder.build().first { $0.name == "node_rapl_package_joules_total" }?.samples.first
        #expect(package?.value == 240_422.366267)
        #expect(package?.labels["path"] == "/sys/class/powercap/intel-rapl:0")
    }

    @Test func powerSupplyInSIUnits() throws {
        var builder = MetricsBuilder()
        try PowerSupplyClassCollector(paths: Fixtures.paths).collect(into: &builder)
        let families = builder.build()
        #expect(families.first { $0.name == "node_power_supply_voltage_volt" }?.samples.first?.value == 12.121)
        #expect(families.first { $0.name == "node_power_supply_temp_celsius" }?.samples.first?.value == 31.5)
        let info = families.first { $0.name == "node_power_supply_info" }?.samples ?? []
        #expect(info.map { $0.labels["type"] } == ["Mains", "Battery"])
    }

    @Test func powerSupplyRejectsANonNumber() throws {
        let directory = TestDirectory(prefix: "scalewatch-power")
        defer { directory.remove() }
        try directory.write("class/power_supply/BAT0/capacity", "full\n")
        var builder = MetricsBuilder()
        let error = #expect(throws: ParseError.self) {
            try PowerSupplyClassCollector(paths: HostPaths(sysfs: directory.path)).collect(into: &builder)
        }
        #expect(error?.file.hasSuffix("BAT0/capacity") == true)
    }
}
