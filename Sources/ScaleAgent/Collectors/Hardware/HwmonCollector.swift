#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Hardware sensors from /sys/class/hwmon under node_exporter's `hwmon` names: temperatures,
/// fans, voltages, currents, power and energy per chip and sensor
/// (Documentation/hwmon/sysfs-interface.rst), e.g.
/// `node_hwmon_temp_celsius{chip="platform_coretemp_0",sensor="temp1"}`. The chip is named
/// after its device path, which stays put across reboots, unlike the hwmonN number.
/// Skipped where there are no sensors (virtual machines).
public struct HwmonCollector: Collector {
    public let name = "hwmon"
    private let paths: HostPaths

    public init(paths: HostPaths) { self.paths = paths }

    static let sensorTypes: Set<String> = [
        "vrm", "beep_enable", "update_interval", "in", "cpu", "fan", "pwm", "temp", "curr", "power", "energy", "humidity",
        "intrusion",
    ]

    public func collect(into metrics: inout MetricsBuilder) throws {
        let root = paths.sys("class/hwmon")
        guard let entries = try FileReading.directoryEntries(atPath: root) else { return }
        for entry in entries {
            let directory = root + "/" + entry
            let chip = Self.chipName(directory)
            // sensor ("temp1") → property ("input", "" for a bare `vrm`) → text
            var sensors: [String: [String: String]] = [:]
            try Self.readSensors(directory, into: &sensors)
            try Self.readSensors(directory + "/device", into: &sensors)
            if let name = try SysfsValue.optionalText(directory + "/name"), !Self.clean(name).isEmpty {
                metrics.gauge(
                    "node_hwmon_chip_names", "Annotation metric for human-readable chip names", 1,
                    ["chip": chip, "chip_name": Self.clean(name)])
            }
            for sensor in sensors.keys.sorted() {
                for sample in Self.samples(sensor: sensor, properties: sensors[sensor] ?? [:]) {
                    var labels = ["chip": chip, "sensor": sensor]
                    if let label = sample.label { labels["label"] = label }
                    metrics.add(sample.name, sample.help, sample.type, sample.value, labels: .init(labels.map { .init($0.key, $0.value) }))
                }
            }
        }
    }

    struct Sample: Equatable {
        var name, help: String
        var type: MetricType = .gauge
        var value: Double
        var label: String? = nil
    }

    /// `temp1_input` → ("temp", "1", "input"); `vrm` → ("vrm", "", ""); nil for names that are
    /// not sensor files.
    static func splitFileName(_ file: String) -> (type: String, number: String, property: String)? {
        let type = file.prefix(while: { !($0.isASCII && $0.isNumber) })
        guard !type.isEmpty else { return nil }
        let rest = file.dropFirst(type.count)
        let number = rest.prefix(while: { $0.isASCII && $0.isNumber })
        let tail = rest.dropFirst(number.count)
        // Without a number, the type took any `_property` with it (`update_interval`).
        guard tail.isEmpty || tail.first == "_" else { return nil }
        if number.isEmpty && !tail.isEmpty { return nil }
        return (String(type), String(number), String(tail.dropFirst()))
    }

    private static func readSensors(_ directory: String, into sensors: inout [String: [String: String]]) throws {
        guard let files = try FileReading.directoryEntries(atPath: directory) else { return }
        for file in files {
            guard let (type, number, property) = splitFileName(file), sensorTypes.contains(type) else { continue }
            guard let text = try SysfsValue.optionalText(directory + "/" + file) else { continue }
            sensors[type + (number.isEmpty ? "0" : number), default: [:]][property] = text
        }
    }

    /// The series node_exporter makes of one sensor's files, with its units: millidegrees,
    /// millivolts, milliamperes and milliseconds to base units, microwatts and microjoules too.
    /// Values that do not parse as numbers are left out, as node_exporter leaves them out.
    static func samples(sensor: String, properties: [String: String]) -> [Sample] {
        guard let type = splitFileName(sensor)?.type else { return [] }
        var samples: [Sample] = []
        if let label = properties["label"] {
            samples.append(Sample(name: "node_hwmon_sensor_label", help: "Label for given chip and sensor", value: 1, label: label))
        }
        switch type {
        case "beep_enable":
            samples.append(Sample(name: "node_hwmon_beep_enabled", help: "Hardware beep enabled", value: properties[""] == "1" ? 1 : 0))
            return samples
        case "vrm":
            if let value = properties[""].flatMap(Double.init) {
                samples.append(Sample(name: "node_hwmon_voltage_regulator_version", help: "Hardware voltage regulator", value: value))
            }
            return samples
        case "update_interval":
            if let value = properties[""].flatMap(Double.init) {
                samples.append(
                    Sample(name: "node_hwmon_update_interval_seconds", help: "Hardware monitor update interval", value: value * 0.001))
            }
            return samples
        default: break
        }
        let prefix = "node_hwmon_" + type
        for (element, text) in properties.sorted(by: { $0.key < $1.key }) where element != "label" {
            guard let value = Double(text) else { continue }
            var name = prefix
            if element == "input" {
                if properties[""] != nil { name += "_input" }
            } else if !element.isEmpty {
                name += "_" + clean(element)
            }
            let shown = element.isEmpty ? "input" : element
            switch (type, element) {
            case (_, "fault"), (_, "alarm"):
                samples.append(Sample(name: name, help: "Hardware sensor \(element) status (\(type))", value: value))
            case (_, "beep"):
                samples.append(Sample(name: name + "_enabled", help: "Hardware monitor sensor has beeping enabled", value: value))
            case ("in", _), ("cpu", _):
                samples.append(Sample(name: name + "_volts", help: "Hardware monitor for voltage (\(element))", value: value * 0.001))
            case ("temp", let element) where element != "type":
                samples.append(Sample(name: name + "_celsius", help: "Hardware monitor for temperature (\(shown))", value: value * 0.001))
            case ("curr", _):
                samples.append(Sample(name: name + "_amps", help: "Hardware monitor for current (\(element))", value: value * 0.001))
            case ("energy", _):
                samples.append(
                    Sample(
                        name: name + "_joule_total", help: "Hardware monitor for joules used so far (\(element))", type: .counter,
                        value: value / 1e6))
            case ("power", "accuracy"):
                samples.append(Sample(name: name, help: "Hardware monitor power meter accuracy, as a ratio", value: value / 1e6))
            case ("power", "average_interval"), ("power", "average_interval_min"), ("power", "average_interval_max"):
                samples.append(
                    Sample(name: name + "_seconds", help: "Hardware monitor power usage update interval (\(element))", value: value * 0.001))
            case ("power", _):
                samples.append(Sample(name: name + "_watt", help: "Hardware monitor for power usage in watts (\(element))", value: value / 1e6))
            case ("humidity", _):
                samples.append(
                    Sample(
                        name: name,
                        help: "Hardware monitor for humidity, as a ratio (multiply with 100.0 to get the humidity as a percentage) (\(element))",
                        value: value / 1e6))
            case ("fan", "input"), ("fan", "min"), ("fan", "max"), ("fan", "target"):
                samples.append(Sample(name: name + "_rpm", help: "Hardware monitor for fan revolutions per minute (\(element))", value: value))
            default:
                samples.append(Sample(name: name, help: "Hardware monitor \(type) element \(element)", value: value))
            }
        }
        return samples
    }

    /// node_exporter's chip name: `<parent>_<device>` of the resolved device link (e.g.
    /// `platform_coretemp_0`, `0000:00:18_3`), else the `name` file, else the hwmonN directory.
    static func chipName(_ directory: String) -> String {
        if let device = realPath(directory + "/device") {
            let parts = device.split(separator: "/")
            let deviceName = clean(parts.last.map(String.init) ?? "")
            let parent = parts.count >= 2 ? clean(String(parts[parts.count - 2])) : ""
            if !parent.isEmpty && !deviceName.isEmpty { return parent + "_" + deviceName }
            if !deviceName.isEmpty { return deviceName }
        }
        if let name = (try? SysfsValue.optionalText(directory + "/name")) ?? nil, !clean(name).isEmpty { return clean(name) }
        return clean(String((realPath(directory) ?? directory).split(separator: "/").last ?? ""))
    }

    /// Lower case, every character outside [a-z0-9:_] turned into `_`, `_` trimmed from the ends.
    static func clean(_ text: String) -> String {
        let mapped = text.lowercased().map { character -> Character in
            character.isASCII && (character.isLetter || character.isNumber || character == ":" || character == "_") ? character : "_"
        }
        return String(String(mapped).drop(while: { $0 == "_" }).reversed().drop(while: { $0 == "_" }).reversed())
    }

    private static func realPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }
}
