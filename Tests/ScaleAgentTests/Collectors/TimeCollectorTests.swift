import Testing
@testable import ScaleAgent

@Suite struct TimeCollectorTests {
    @Test func reportsTimeZoneAndClocksources() throws {
        var builder = MetricsBuilder()
        try TimeCollector(paths: Fixtures.paths, system: FixtureHostSystem()).collect(into: &builder)
        let families = builder.build()
        #expect(families.map(\.name) == [
            "node_time_seconds", "node_time_zone_offset_seconds",
            "node_time_clocksource_available_info", "node_time_clocksource_current_info",
        ])
        #expect(families.allSatisfy { $0.type == .gauge })
        #expect(families.value("node_time_seconds") == 1_700_000_000.25)
        #expect(families.value("node_time_zone_offset_seconds", ["time_zone": "CET"]) == 3600)
        #expect(families.value("node_time_clocksource_available_info", ["clocksource": "tsc", "device": "0"]) == 1)
        #expect(families.value("node_time_clocksource_available_info", ["clocksource": "kvm-clock", "device": "0"]) == 1)
        #expect(families[2].samples.count == 2)
        #expect(families.value("node_time_clocksource_current_info", ["clocksource": "tsc", "device": "0"]) == 1)
        #expect(families[3].help == "Current clocksource read from '/sys/devices/system/clocksource'.")
    }

    @Test func noClocksourceDirectoryReportsOnlyTheTime() throws {
        var builder = MetricsBuilder()
        let paths = HostPaths(procfs: Fixtures.paths.procfs, sysfs: "/nonexistent-sysfs")
        try TimeCollector(paths: paths, system: FixtureHostSystem()).collect(into: &builder)
        #expect(builder.build().map(\.name) == ["node_time_seconds", "node_time_zone_offset_seconds"])
    }

    @Test func parsesClocksourceFiles() throws {
        #expect(TimeCollector.parseAvailable("tsc hpet acpi_pm \n") == ["tsc", "hpet", "acpi_pm"])
        #expect(TimeCollector.parseAvailable("\n") == [])
        #expect(try TimeCollector.parseCurrent("tsc\n", file: "current_clocksource") == "tsc")
    }

    @Test(arguments: [("\n", "found 0"), ("tsc hpet\n", "found 2")])
    func rejectsMalformedCurrent(text: String, expected: String) {
        let error = #expect(throws: ParseError.self) { try TimeCollector.parseCurrent(text, file: "current_clocksource") }
        #expect(error?.file == "current_clocksource")
        #expect(error?.line == 1)
        #expect(error?.message == "expected one clocksource name, \(expected)")
    }
}

extension [MetricFamily] {
    fileprivate func value(_ name: String, _ labels: [String: String] = [:]) -> Double? {
        first { $0.name == name }?.samples.first { sample in
            sample.labels.count == labels.count && labels.allSatisfy { sample.labels[$0.key] == $0.value }
        }?.value
    }
}
