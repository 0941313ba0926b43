/// Neighbour-table entries per device from /proc/net/arp under node_exporter's `arp` name.
public struct ARPCollector: Collector {
    public let name = "arp"
    private let paths: HostPaths

    public init(paths: HostPaths) { self.paths = paths }

    public func collect(into metrics: inout MetricsBuilder) throws {
        let file = paths.proc("net/arp")
        for (device, count) in try Self.parse(FileReading.string(atPath: file), file: file) {
            metrics.gauge("node_arp_entries", "ARP entries by device", Double(count), ["device": device])
        }
    }

    /// A header (`IP address  HW type  Flags  HW address  Mask  Device`), then one line per
    /// entry whose last column is the device. Devices come back sorted by name.
    static func parse(_ text: String, file: String) throws(ParseError) -> [(device: String, count: Int)] {
        var counts: [String: Int] = [:]
        for (index, line) in text.splitASCII(UInt8(ascii: "\n")).enumerated() {
            let columns = line.splitASCIIWhitespace()
            guard columns.count >= 6 else {
                throw ParseError(file: file, line: index + 1, "expected 6 columns (IP address … Device), found \(columns.count)")
            }
            if index == 0 {
                guard columns[0] == "IP" else { throw ParseError(file: file, line: 1, "expected the header 'IP address HW type …'") }
                continue
            }
            counts[String(columns[columns.count - 1]), default: 0] += 1
        }
        return counts.sorted { $0.key < $1.key }.map { (device: $0.key, count: $0.value) }
    }
}
