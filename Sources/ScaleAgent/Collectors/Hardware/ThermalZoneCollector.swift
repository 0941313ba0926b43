/// Temperatures and cooling devices from /sys/class/thermal under node_exporter's
/// `thermal_zone` names. A CPU zone near its trip point is throttled. Skipped where the host
/// has none (virtual machines).
public struct ThermalZoneCollector: Collector {
    public let name = "thermal_zone"
    private let paths: HostPaths

    public init(paths: HostPaths) { self.paths = paths }

    public func collect(into metrics: inout MetricsBuilder) throws {
        let root = paths.sys("class/thermal")
        for zone in try SysfsValue.numberedEntries(root, prefix: "thermal_zone") {
            let directory = root + "/" + zone.name
            // A zone whose sensor cannot be read now (ENODATA, EIO) is left out, not fatal.
            guard let type = try SysfsValue.optionalText(directory + "/type"),
                let temp = try SysfsValue.optionalText(directory + "/temp")
            else { continue }
            let celsius = Double(try SysfsValue.integer(temp, file: directory + "/temp")) / 1000
            metrics.gauge("node_thermal_zone_temp", "Zone temperature in Celsius", celsius, ["zone": zone.number, "type": type])
        }
        for device in try SysfsValue.numberedEntries(root, prefix: "cooling_device") {
            let directory = root + "/" + device.name
            guard let type = try SysfsValue.optionalText(directory + "/type"),
                let current = try SysfsValue.optionalText(directory + "/cur_state"),
                let maximum = try SysfsValue.optionalText(directory + "/max_state")
            else { continue }
            metrics.gauge(
                "node_cooling_device_cur_state", "Current throttle state of the cooling device",
                Double(try SysfsValue.integer(current, file: directory + "/cur_state")), ["name": device.number, "type": type])
            metrics.gauge(
                "node_cooling_device_max_state", "Maximum throttle state of the cooling device",
                Double(try SysfsValue.integer(maximum, file: directory + "/max_state")), ["name": device.number, "type": type])
        }
    }
}
