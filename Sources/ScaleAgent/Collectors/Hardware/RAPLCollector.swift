/// Energy counters of Intel/AMD RAPL domains from /sys/class/powercap under node_exporter's
/// `rapl` names: `node_rapl_<domain>_joules_total{index,path}`, e.g. package, core, dram.
/// Skipped where there is no powercap (VMs) or energy_uj is root's (kernels since 5.10).
public struct RAPLCollector: Collector {
    public let name = "rapl"
    private let paths: HostPaths

    public init(paths: HostPaths) { self.paths = paths }

    public func collect(into metrics: inout MetricsBuilder) throws {
        let root = paths.sys("class/powercap")
        guard let entries = try FileReading.directoryEntries(atPath: root) else { return }
        var zones: [(name: String, directory: String)] = []
        for entry in entries {
            guard let zoneName = try SysfsValue.optionalText(root + "/" + entry + "/name") else { continue }
            zones.append((zoneName, entry))
        }
        var seen: [String: Int] = [:]
        for zone in zones {
            let (domain, index) = Self.domainAndIndex(zone.name, seen: &seen)
            let file = root + "/" + zone.directory + "/energy_uj"
            // Unreadable to non-root since the PLATYPUS side channel (CVE-2020-8694).
            guard let text = try SysfsValue.optionalText(file) else { return }
            let microjoules = try SysfsValue.integer(text, file: file)
            guard microjoules >= 0 else { throw ParseError(file: file, line: 1, "expected microjoules, found \(microjoules)") }
            metrics.counter(
                "node_rapl_\(domain)_joules_total", "Current RAPL \(domain) value in joules", Double(microjoules) / 1e6,
                ["index": String(index), "path": "/sys/class/powercap/" + zone.directory])
        }
    }

    /// `package-1` → ("package", 1); a name without a number (`core`, `dram`) is numbered by
    /// how often it was seen before, as node_exporter does. Characters a metric name cannot
    /// hold become `_`.
    static func domainAndIndex(_ zoneName: String, seen: inout [String: Int]) -> (String, Int) {
        var domain = zoneName
        var index: Int
        if let dash = zoneName.lastIndex(of: "-"), let number = Int(zoneName[zoneName.index(after: dash)...]) {
            domain = String(zoneName[..<dash])
            index = number
        } else {
            index = seen[domain, default: 0]
        }
        seen[domain, default: 0] += 1
        let sanitized = String(domain.map { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") ? $0 : "_" })
        return (sanitized, index)
    }
}
