/// Per-interface traffic and error counters from /proc/net/dev, under node_exporter's
/// `netdev` names (`node_network_receive_bytes_total{device}` and friends).
public struct NetdevCollector: Collector {
    public let name = "netdev"
    private let paths: HostPaths
    private let deviceExclude: Pattern?

    public init(paths: HostPaths, deviceExclude: Pattern? = nil) {
        self.paths = paths
        self.deviceExclude = deviceExclude
    }

    public func collect(into metrics: inout MetricsBuilder) throws {
        let file = paths.proc("net/dev")
        let table = try Self.parse(FileReading.string(atPath: file), file: file)
        let included = table.devices.filter { deviceExclude?.matches($0.name) != true }
        // Family by family, so that each family's samples are together in device order.
        for (column, field) in table.fields.enumerated() {
            let help = "Network device statistic \(field)."
            for device in included {
                metrics.counter("node_network_\(field)_total", help, Double(device.counters[column]), ["device": device.name])
            }
        }
        // /proc/net/dev lacks the packets no protocol wanted; node_exporter 1.5 has them from
        // netlink, the same kernel counter as this sysfs file.
        for device in included {
            let file = paths.sys("class/net/\(device.name)/statistics/rx_nohandler")
            guard let text = try FileReading.optionalString(atPath: file) else { continue }
            guard let value = UInt64(text.prefix(while: { $0 != "\n" })) else {
                throw ParseError(file: file, line: 1, "expected a counter, found '\(text.prefix(40))'")
            }
            metrics.counter(
                "node_network_receive_nohandler_total", "Network device statistic receive_nohandler.", Double(value),
                ["device": device.name])
        }
    }

    struct Table: Equatable {
        /// `receive_bytes`, …, `transmit_compressed`: the header's column names prefixed by
        /// direction, which are node_exporter's names without `_total`.
        var fields: [String]
        var devices: [Device]
    }

    struct Device: Equatable {
        var name: String
        var counters: [UInt64]
    }

    /// Two header lines, the second naming the columns of each direction between `|`s:
    /// ```
    /// Inter-|   Receive                            |  Transmit
    ///  face |bytes    packets errs drop fifo frame compressed multicast|bytes ... compressed
    ///   eth0: 54013780    1789    0    0    0     0          0         0    69284 ...
    /// ```
    /// Columns are read from the header rather than assumed, and a large counter can touch
    /// the colon after the name.
    static func parse(_ text: String, file: String) throws(ParseError) -> Table {
        let lines = text.splitASCII(UInt8(ascii: "\n"), omittingEmptySubsequences: false)
        guard lines.count >= 2 else {
            throw ParseError(file: file, line: lines.count + 1, "expected two header lines")
        }
        let sections = lines[1].split(separator: "|", omittingEmptySubsequences: false)
        guard sections.count == 3 else {
            throw ParseError(file: file, line: 2, "expected a header 'face |receive columns|transmit columns'")
        }
        let receive = sections[1].splitASCII(UInt8(ascii: " ")).map { "receive_" + $0 }
        let transmit = sections[2].splitASCII(UInt8(ascii: " ")).map { "transmit_" + $0 }
        let fields = receive + transmit
        var devices: [Device] = []
        for (index, line) in lines.enumerated().dropFirst(2) where !line.allSatisfy({ $0 == " " }) {
            guard let colon = line.firstIndex(of: ":"), !line[..<colon].allSatisfy({ $0 == " " }) else {
                throw ParseError(file: file, line: index + 1, "expected 'device:' followed by counters")
            }
            let name = line[..<colon].drop(while: { $0 == " " })
            let values = line[line.index(after: colon)...].splitASCII(UInt8(ascii: " "))
            guard values.count == fields.count else {
                throw ParseError(file: file, line: index + 1, "expected \(fields.count) counters for \(name), found \(values.count)")
            }
            var counters: [UInt64] = []
            counters.reserveCapacity(values.count)
            for value in values {
                guard let counter = UInt64(value) else {
                    throw ParseError(file: file, line: index + 1, "expected a counter for \(name), found '\(value)'")
                }
                counters.append(counter)
            }
            devices.append(Device(name: String(name), counters: counters))
        }
        return Table(fields: fields, devices: devices)
    }
}
