/// The system clock, its time zone and the kernel's clocksources, under node_exporter's `time`
/// names. A clock stepped by hand shows as `node_time_seconds` jumping against `time()`.
public struct TimeCollector: Collector {
    public let name = "time"
    private let paths: HostPaths
    private let system: any HostSystem

    public init(paths: HostPaths, system: any HostSystem) {
        self.paths = paths
        self.system = system
    }

    public func collect(into metrics: inout MetricsBuilder) throws {
        metrics.gauge("node_time_seconds", "System time in seconds since epoch (1970).", system.now())
        let zone = system.timeZone()
        metrics.gauge(
            "node_time_zone_offset_seconds", "System time zone offset in seconds.", Double(zone.offsetSeconds),
            ["time_zone": zone.name])

        let sources = try readClocksources()
        for source in sources {
            for available in source.available {
                metrics.gauge(
                    "node_time_clocksource_available_info",
                    "Available clocksources read from '/sys/devices/system/clocksource'.", 1,
                    ["clocksource": available, "device": source.device])
            }
        }
        for source in sources {
            metrics.gauge(
                "node_time_clocksource_current_info", "Current clocksource read from '/sys/devices/system/clocksource'.", 1,
                ["clocksource": source.current, "device": source.device])
        }
    }

    struct Clocksource: Equatable {
        /// The number in `clocksourceN`.
        var device: String
        var available: [String]
        var current: String
    }

    /// No clocksource directory (a container without /sys) means nothing to report.
    private func readClocksources() throws -> [Clocksource] {
        let directory = paths.sys("devices/system/clocksource")
        guard let entries = try FileReading.directoryEntries(atPath: directory) else { return [] }
        var sources: [Clocksource] = []
        for entry in entries {
            let device = entry.dropFirst("clocksource".count)
            guard entry.hasPrefix("clocksource"), !device.isEmpty, device.allSatisfy({ $0 >= "0" && $0 <= "9" }) else {
                continue
            }
            let availableFile = directory + "/" + entry + "/available_clocksource"
            let currentFile = directory + "/" + entry + "/current_clocksource"
            sources.append(Clocksource(
                device: String(device),
                available: Self.parseAvailable(try FileReading.string(atPath: availableFile)),
                current: try Self.parseCurrent(try FileReading.string(atPath: currentFile), file: currentFile)))
        }
        // Numerically, so that clocksource10 follows clocksource9.
        return sources.sorted { ($0.device.count, $0.device) < ($1.device.count, $1.device) }
    }

    /// `tsc kvm-clock \n`: space-separated names, possibly none.
    static func parseAvailable(_ text: String) -> [String] {
        text.split(whereSeparator: { $0 == " " || $0 == "\n" }).map(String.init)
    }

    /// `tsc\n`: exactly one name.
    static func parseCurrent(_ text: String, file: String) throws(ParseError) -> String {
        let names = text.split(whereSeparator: { $0 == " " || $0 == "\n" })
        guard names.count == 1 else {
            throw ParseError(file: file, line: 1, "expected one clocksource name, found \(names.count)")
        }
        return String(names[0])
    }
}
