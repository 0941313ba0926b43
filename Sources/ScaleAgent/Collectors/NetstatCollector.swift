/// Protocol counters from /proc/net/netstat, /proc/net/snmp and /proc/net/snmp6, under
/// node_exporter's `netstat` names: `node_netstat_<Proto>_<Field>`, untyped. Established
/// connections (`Tcp_CurrEstab`) and listen-queue overflows and drops
/// (`TcpExt_ListenOverflows`, `TcpExt_ListenDrops`) come from here.
public struct NetstatCollector: Collector {
    public let name = "netstat"
    private let paths: HostPaths
    private let fields: Pattern

    /// node_exporter 1.5's default selection; the files hold several hundred counters.
    public static let defaultFields = try! Pattern(
        #"^(.*_(InErrors|InErrs)|Ip_Forwarding|Ip(6|Ext)_(InOctets|OutOctets)|Icmp6?_(InMsgs|OutMsgs)|TcpExt_(Listen.*|Syncookies.*|TCPSynRetrans|TCPTimeouts)|Tcp_(ActiveOpens|InSegs|OutSegs|OutRsts|PassiveOpens|RetransSegs|CurrEstab)|Udp6?_(InDatagrams|OutDatagrams|NoPorts|RcvbufErrors|SndbufErrors))$"#)

    public init(paths: HostPaths, fields: Pattern = NetstatCollector.defaultFields) {
        self.paths = paths
        self.fields = fields
    }

    public func collect(into metrics: inout MetricsBuilder) throws {
        let netstat = paths.proc("net/netstat")
        let snmp = paths.proc("net/snmp")
        let snmp6 = paths.proc("net/snmp6")
        var statistics = try Self.parsePairs(FileReading.string(atPath: netstat), file: netstat)
        statistics += try Self.parsePairs(FileReading.string(atPath: snmp), file: snmp)
        // Absent when IPv6 is disabled.
        if let text = try FileReading.optionalString(atPath: snmp6) {
            statistics += try Self.parseSNMP6(text, file: snmp6)
        }
        var seen = Set<String>()
        for statistic in statistics {
            let key = statistic.protocolName + "_" + statistic.field
            guard fields.matches(key), seen.insert(key).inserted else { continue }
            metrics.untyped("node_netstat_" + key, "Statistic \(statistic.protocolName)\(statistic.field).", statistic.value)
        }
    }

    struct Statistic: Equatable {
        var protocolName: String
        var field: String
        var value: Double
    }

    /// netstat and snmp: per protocol, a line of names and a line of values, both prefixed
    /// with the protocol:
    /// ```
    /// Tcp: RtoAlgorithm RtoMin RtoMax MaxConn ActiveOpens ...
    /// Tcp: 1 200 120000 -1 16 ...
    /// ```
    static func parsePairs(_ text: String, file: String) throws(ParseError) -> [Statistic] {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        var statistics: [Statistic] = []
        var index = 0
        while index < lines.count {
            let names = lines[index].split(separator: " ")
            if names.isEmpty {
                index += 1
                continue
            }
            let nameLine = index + 1
            let protocolName = try protocolPrefix(names[0], file: file, line: nameLine)
            let values = index + 1 < lines.count ? lines[index + 1].split(separator: " ") : []
            guard !values.isEmpty else {
                throw ParseError(file: file, line: nameLine + 1, "expected the values line of \(protocolName)")
            }
            let valueProtocol = try protocolPrefix(values[0], file: file, line: nameLine + 1)
            guard valueProtocol == protocolName else {
                throw ParseError(file: file, line: nameLine + 1, "expected values of \(protocolName), found \(valueProtocol)")
            }
            guard values.count == names.count else {
                throw ParseError(
                    file: file, line: nameLine + 1,
                    "expected \(names.count - 1) values for \(protocolName) as named on line \(nameLine), found \(values.count - 1)")
            }
            for (name, value) in zip(names.dropFirst(), values.dropFirst()) {
                // Signed: Tcp MaxConn is -1 when the limit is dynamic.
                guard let number = Int64(value) else {
                    throw ParseError(file: file, line: nameLine + 1, "expected an integer for \(protocolName) \(name), found '\(value)'")
                }
                statistics.append(Statistic(protocolName: protocolName, field: String(name), value: Double(number)))
            }
            index += 2
        }
        return statistics
    }

    private static func protocolPrefix(_ field: Substring, file: String, line: Int) throws(ParseError) -> String {
        guard field.count > 1, field.last == ":" else {
            throw ParseError(file: file, line: line, "expected a protocol name ending in ':', found '\(field)'")
        }
        return String(field.dropLast())
    }

    /// snmp6: one `Ip6InReceives   1` per line. The protocol is the name up to and including
    /// its first "6" (`Ip6`, `Icmp6`, `UdpLite6`), as node_exporter splits it; names without
    /// a "6" are skipped, as node_exporter does.
    static func parseSNMP6(_ text: String, file: String) throws(ParseError) -> [Statistic] {
        var statistics: [Statistic] = []
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
            if fields.isEmpty { continue }
            guard fields.count == 2 else {
                throw ParseError(file: file, line: index + 1, "expected a name and a value, found \(fields.count) fields")
            }
            guard let value = Int64(fields[1]) else {
                throw ParseError(file: file, line: index + 1, "expected an integer for \(fields[0]), found '\(fields[1])'")
            }
            guard let six = fields[0].firstIndex(of: "6") else { continue }
            let split = fields[0].index(after: six)
            statistics.append(Statistic(
                protocolName: String(fields[0][..<split]), field: String(fields[0][split...]), value: Double(value)))
        }
        return statistics
    }
}
