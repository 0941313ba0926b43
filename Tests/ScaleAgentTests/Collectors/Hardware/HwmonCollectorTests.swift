import Testing
@testable import ScaleAgent

@Suite struct HwmonCollectorTests {
    @Test(arguments: [
        ("temp1_input", "temp/1/input"), ("temp1_crit_alarm", "temp/1/crit_alarm"), ("in0", "in/0/"),
        ("update_interval", "update_interval//"), ("beep_enable", "beep_enable//"), ("fan12_min", "fan/12/min"),
        // As node_exporter's pattern reads it: not a sensor type, so never reported.
        ("temp_input", "temp_input//"),
    ])
    func splitsSensorFileNames(file: String, expected: String) {
        let parts = HwmonCollector.splitFileName(file)
        #expect(parts.map { "\($0.type)/\($0.number)/\($0.property)" } == expected)
    }

    @Test(arguments: ["1temp", "temp1x", ""])
    func rejectsNonSensorFileNames(file: String) {
        #expect(HwmonCollector.splitFileName(file) == nil)
    }

    @Test func convertsUnitsAndNamesAsNodeExporter() {
        let temp = HwmonCollector.samples(sensor: "temp1", properties: ["input": "55000", "crit": "100000", "label": "Package", "max": "n/a"])
        #expect(temp.map(\.name) == ["node_hwmon_sensor_label", "node_hwmon_temp_crit_celsius", "node_hwmon_temp_celsius"])
        #expect(temp.map(\.value) == [1, 100, 55])
        #expect(temp.first?.label == "Package")
        let energy = HwmonCollector.samples(sensor: "energy1", properties: ["input": "4500000000"])
        #expect(energy == [.init(name: "node_hwmon_energy_joule_total", help: "Hardware monitor for joules used so far (input)", type: .counter, value: 4500)])
        let fan = HwmonCollector.samples(sensor: "fan2", properties: ["input": "1131", "pulses": "2"])
        #expect(fan.map(\.name) == ["node_hwmon_fan_rpm", "node_hwmon_fan_pulses"])
    }

    @Test(arguments: [("Package id 0", "package_id_0"), ("0000:00:18.3", "0000:00:18_3"), ("__x__", "x")])
    func cleansNames(text: String, expected: String) {
        #expect(HwmonCollector.clean(text) == expected)
    }

    @Test func collectsFromFixtureWithStableChipNames() throws {
        var builder = MetricsBuilder()
        try HwmonCollector(paths: Fixtures.paths).collect(into: &builder)
        let families = builder.build()
        let temps = families.first { $0.name == "node_hwmon_temp_celsius" }?.samples ?? []
        #expect(temps.map { $0.labels["chip"] } == ["platform_coretemp_0", "platform_coretemp_0"])
        #expect(temps.map(\.value) == [55, 51])
        let chips = families.first { $0.name == "node_hwmon_chip_names" }?.samples.map { $0.labels["chip_name"] }
        #expect(chips == ["coretemp", "nct6779"])
        #expect(families.first { $0.name == "node_hwmon_update_interval_seconds" }?.samples.first?.value == 12)
    }
}
