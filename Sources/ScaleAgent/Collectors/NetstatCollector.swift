import NIOConcurrencyHelpers

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

    /// Per header line of netstat/snmp: the indexes of the fields `fields` selects, with
    /// their metric names. The headers never change while the kernel runs, so the regex and
    /// the name strings are worked out once, not for several hundred fields per collection.
    private let selections = NIOLockedValueBox<[String: [(index: Int, name: String, help: String)]]>([:])

    public func collect(into metrics: inout MetricsBuilder) throws {
        let netstat = paths.proc("net/netstat")
        let snmp = paths.proc("net/snmp")
        let snmp6 = paths.proc("net/snmp6")
        var seen = Set<String>()
        try emitPairs(FileReading.string(atPath: netstat), file: netstat, into: &metrics, seen: &seen)
        try emitPairs(FileReading.string(atPath: snmp), file: snmp, into: &metrics, seen: &seen)
        // Absent when IPv6 is disabled.
        if let text = try FileReading.optionalString(atPath: snmp6) {
            try emitSNMP6(text, file: snmp6, into: &metrics, seen: &seen)
        }
    }

    private let snmp6Names = LineNameCache<(name: String, help: String)>()

    /// The fast path of `parseSNMP6`, which reports what is wrong where anything is.
    private func emitSNMP6(_ text: String, file: String, into metrics: inout MetricsBuilder, seen: inout Set<String>) throws {
        var tokens: [Substring] = []
        var values: [Int64] = []
        for line in text.splitASCII(UInt8(ascii: "\n")) {
            let columns = line.splitASCIIWhitespace()
            if columns.isEmpty { continue }
            guard columns.count == 2, let value = Int64(columns[1]) else {
                _ = try Self.parseSNMP6(text, file: file)
                throw ParseError(file: file, line: 0, "expected a name and an integer on every line")
            }
            tokens.append(columns[0])
            values.append(value)
        }
        for (entry, value) in zip(snmp6Names.metrics(for: tokens) { snmp6Metric($1) }, values) {
            guard let metric = entry.metric, seen.insert(metric.name).inserted else { continue }
            metrics.untyped(metric.name, metric.help, Double(value))
        }
    }

    /// The protocol is the name up to and including its first "6"; names without one are
    /// skipped, as in `parseSNMP6`.
    private func snmp6Metric(_ token: Substring) -> (name: String, help: String)? {
        guard let six = token.firstIndex(of: "6") else { return nil }
        let split = token.index(after: six)
        let (protocolName, field) = (token[..<split], token[split...])
        let key = String(protocolName) + "_" + field
        guard fields.matches(key) else { return nil }
        return ("node_netstat_" + key, "Statistic \(protocolName)\(field).")
    }

    /// The fast path of `parsePairs`: values are read in place for the selected fields only.
    /// Anything unexpected defers to `parsePairs`, whose error says what is wrong and where.
    private func emitPairs(_ text: String, file: String, into metrics: inout MetricsBuilder, seen: inout Set<String>) throws {
        let lines = text.splitASCII(UInt8(ascii: "\n"), omittingEmptySubsequences: false)
        var index = 0
        while index < lines.count {
            let header = lines[index]
            if header.isEmpty {
                index += 1
                continue
            }
            guard index + 1 < lines.count else { _ = try Self.parsePairs(text, file: file); return }
            let key = String(header)
            let selection = try selections.withLockedValue { $0[key] } ?? selection(for: header, text: text, file: file)
            let protocolToken = header.prefix { $0 != " " }
            guard lines[index + 1].hasPrefix(protocolToken + " "),
                let values = Self.integers(in: lines[index + 1], fieldCount: header.utf8.count { $0 == UInt8(ascii: " ") } + 1)
            else {
                _ = try Self.parsePairs(text, file: file)
                throw ParseError(file: file, line: index + 2, "expected integer values matching the names on line \(index + 1)")
            }
            for field in selection where seen.insert(field.name).inserted {
                metrics.untyped(field.name, field.help, Double(values[field.index]))
            }
            index += 2
        }
    }

    private func selection(for header: Substring, text: String, file: String) throws -> [(index: Int, name: String, help: String)] {
        let names = header.splitASCII(UInt8(ascii: " "))
        guard let protocolName = names.first?.dropLast(), names.first?.last == ":" else {
            _ = try Self.parsePairs(text, file: file)
            throw ParseError(file: file, line: 0, "expected a protocol name ending in ':'")
        }
        var selected: [(index: Int, name: String, help: String)] = []
        for (index, field) in names.enumerated().dropFirst() {
            let key = String(protocolName) + "_" + String(field)
            if fields.matches(key) { selected.append((index, "node_netstat_" + key, "Statistic \(protocolName)\(field).")) }
        }
        selections.withLockedValue { $0[String(header)] = selected }
        return selected
    }

    /// The values line (`Tcp: 1 200 -1 …`) as integers, nil unless it has exactly
    /// `fieldCount` space-separated fields (the protocol included) of which all but the first
    /// are integers.
    private static func integers(in line: Substring, fieldCount: Int) -> [Int64]? {
        var values: [Int64] = [0]
        values.reserveCapacity(fieldCount)
        var current: Int64 = 0
        var negative = false
        var digits = 0
        var field = 0
        for byte in line.utf8 {
            if byte == UInt8(ascii: " ") {
                if field > 0 {
                    guard digits > 0 else { return nil }
                    values.append(negative ? -current : current)
                }
                field += 1
                current = 0
                negative = false
                digits = 0
            } else if field > 0 {
                if byte == UInt8(ascii: "-") && digits == 0 && !negative {
                    negative = true
                } else if byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") && digits < 19 {
                    current = current * 10 + Int64(byte - UInt8(ascii: "0"))
                    digits += 1
                } else {
                    return nil
                }
            }
        }
        guard field > 0, digits > 0 else { return nil }
        values.append(negative ? -current : current)
        return values.count == fieldCount ? values : nil
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
        let lines = text.splitASCII(UInt8(ascii: "\n"), omittingEmptySubsequences: false)
        var statistics: [Statistic] = []
        var index = 0
        while index < lines.count {
            let names = lines[index].splitASCII(UInt8(ascii: " "))
            if names.isEmpty {
                index += 1
                continue
            }
            let nameLine = index + 1
            let protocolName = try protocolPrefix(names[0], file: file, line: nameLine)
            let values = index + 1 < lines.count ? lines[index + 1].splitASCII(UInt8(ascii: " ")) : []
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
        for (index, line) in text.splitASCII(UInt8(ascii: "\n"), omittingEmptySubsequences: false).enumerated() {
            let fields = line.splitASCIIWhitespace()
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
