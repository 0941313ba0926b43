import MetricStore

/// Batteries, mains and UPS-backed supplies from /sys/class/power_supply under node_exporter's
/// `powersupplyclass` names: `node_power_supply_<property>{power_supply}` in SI units and
/// `node_power_supply_info` labelled by the text properties. Skipped where there is none.
public struct PowerSupplyClassCollector: Collector {
    public let name = "powersupplyclass"
    private let paths: HostPaths

    public init(paths: HostPaths) { self.paths = paths }

    /// sysfs attribute → family suffix and the divisor to SI units (µA, µV, µWh, µAh, µW → 1e6;
    /// tenths of a degree → 10), per Documentation/ABI/testing/sysfs-class-power.
    static let numeric: [(file: String, metric: String, divisor: Double)] = [
        ("authentic", "authentic", 1), ("calibrate", "calibrate", 1), ("capacity", "capacity", 1),
        ("capacity_alert_max", "capacity_alert_max", 1), ("capacity_alert_min", "capacity_alert_min", 1),
        ("cycle_count", "cyclecount", 1), ("online", "online", 1), ("present", "present", 1),
        ("time_to_empty_now", "time_to_empty_seconds", 1), ("time_to_full_now", "time_to_full_seconds", 1),
        ("current_boot", "current_boot", 1e6), ("current_max", "current_max", 1e6), ("current_now", "current_ampere", 1e6),
        ("energy_empty", "energy_empty", 1e6), ("energy_empty_design", "energy_empty_design", 1e6),
        ("energy_full", "energy_full", 1e6), ("energy_full_design", "energy_full_design", 1e6),
        ("energy_now", "energy_watthour", 1e6), ("voltage_boot", "voltage_boot", 1e6), ("voltage_max", "voltage_max", 1e6),
        ("voltage_max_design", "voltage_max_design", 1e6), ("voltage_min", "voltage_min", 1e6),
        ("voltage_min_design", "voltage_min_design", 1e6), ("voltage_now", "voltage_volt", 1e6),
        ("voltage_ocv", "voltage_ocv", 1e6), ("charge_control_limit", "charge_control_limit", 1e6),
        ("charge_control_limit_max", "charge_control_limit_max", 1e6), ("charge_counter", "charge_counter", 1e6),
        ("charge_empty", "charge_empty", 1e6), ("charge_empty_design", "charge_empty_design", 1e6),
        ("charge_full", "charge_full", 1e6), ("charge_full_design", "charge_full_design", 1e6),
        ("charge_now", "charge_ampere", 1e6), ("charge_term_current", "charge_term_current", 1e6),
        ("constant_charge_current", "constant_charge_current", 1e6),
        ("constant_charge_current_max", "constant_charge_current_max", 1e6),
        ("constant_charge_voltage", "constant_charge_voltage", 1e6),
        ("constant_charge_voltage_max", "constant_charge_voltage_max", 1e6),
        ("precharge_current", "precharge_current", 1e6), ("input_current_limit", "input_current_limit", 1e6),
        ("power_now", "power_watt", 1e6),
        ("temp", "temp_celsius", 10), ("temp_alert_max", "temp_alert_max_celsius", 10),
        ("temp_alert_min", "temp_alert_min_celsius", 10), ("temp_ambient", "temp_ambient_celsius", 10),
        ("temp_ambient_max", "temp_ambient_max_celsius", 10), ("temp_ambient_min", "temp_ambient_min_celsius", 10),
        ("temp_max", "temp_max_celsius", 10), ("temp_min", "temp_min_celsius", 10),
    ]

    static let textual = [
        "capacity_level", "charge_type", "health", "manufacturer", "model_name", "serial_number", "status", "technology",
        "type", "usb_type", "scope",
    ]

    public func collect(into metrics: inout MetricsBuilder) throws {
        let root = paths.sys("class/power_supply")
        guard let supplies = try FileReading.directoryEntries(atPath: root) else { return }
        for supply in supplies {
            let directory = root + "/" + supply
            for (file, metric, divisor) in Self.numeric {
                let path = directory + "/" + file
                guard let text = try SysfsValue.optionalText(path) else { continue }
                metrics.gauge(
                    "node_power_supply_" + metric, "\(metric) value of /sys/class/power_supply/<power_supply>.",
                    Double(try SysfsValue.integer(text, file: path)) / divisor, ["power_supply": supply])
            }
            var labels = [Label("power_supply", supply)]
            for file in Self.textual {
                if let value = try SysfsValue.optionalText(directory + "/" + file) { labels.append(Label(file, value)) }
            }
            metrics.add(
                "node_power_supply_info", "info of /sys/class/power_supply/<power_supply>.", .gauge, 1, labels: Labels(labels))
        }
    }
}
