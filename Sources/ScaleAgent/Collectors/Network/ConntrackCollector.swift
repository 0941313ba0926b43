/// The netfilter connection-tracking table under node_exporter's `conntrack` names. A full
/// table drops new connections silently ("nf_conntrack: table full, dropping packet"), a
/// classic outage once a host takes a load balancer's traffic. Skipped quietly where the
/// nf_conntrack module is not loaded, as node_exporter does.
public struct ConntrackCollector: Collector {
    public let name = "conntrack"
    private let paths: HostPaths

    public init(paths: HostPaths) { self.paths = paths }

    public func collect(into metrics: inout MetricsBuilder) throws {
        let countFile = paths.proc("sys/net/netfilter/nf_conntrack_count")
        let maxFile = paths.proc("sys/net/netfilter/nf_conntrack_max")
        let statFile = paths.proc("net/stat/nf_conntrack")
        guard let count = try FileReading.optionalString(atPath: countFile),
            let limit = try FileReading.optionalString(atPath: maxFile),
            let stat = try FileReading.optionalString(atPath: statFile)
        else { return }
        metrics.gauge(
            "node_nf_conntrack_entries", "Number of currently allocated flow entries for connection tracking.",
            try Self.parseCount(count, file: countFile))
        metrics.gauge(
            "node_nf_conntrack_entries_limit", "Maximum size of connection tracking table.", try Self.parseCount(limit, file: maxFile))
        let totals = try Self.parseStat(stat, file: statFile)
        for field in Self.statFields {
            metrics.gauge("node_nf_conntrack_stat_\(field.column)", field.help, totals[field.column] ?? 0)
        }
    }

    /// The per-CPU columns node_exporter sums, with its help texts. node_exporter types them
    /// gauges although they only grow; the type is kept so that both agents agree.
    static let statFields: [(column: String, help: String)] = [
        ("drop", "Number of packets dropped due to conntrack failure."),
        ("early_drop", "Number of dropped conntrack entries to make room for new ones, if maximum table size was reached."),
        ("found", "Number of searched entries which were successful."),
        ("ignore", "Number of packets seen which are already connected to a conntrack entry."),
        ("insert", "Number of entries inserted into the list."),
        ("insert_failed", "Number of entries for which list insertion was attempted but failed."),
        ("invalid", "Number of packets seen which can not be tracked."),
        ("search_restart", "Number of conntrack table lookups which had to be restarted due to hashtable resizes."),
    ]

    /// `nf_conntrack_count` and `nf_conntrack_max`: one decimal number.
    static func parseCount(_ text: String, file: String) throws(ParseError) -> Double {
        let fields = text.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" })
        guard fields.count == 1, let value = UInt64(fields[0]) else {
            throw ParseError(file: file, line: 1, "expected an unsigned integer, found '\(text.prefix(40))'")
        }
        return Double(value)
    }

    /// /proc/net/stat/nf_conntrack: a header naming the columns, then one line of hexadecimal
    /// counters per CPU. The columns changed across kernels (`searched` and `delete_list`
    /// became `clashres` and `chainlength` in 5.x), so they are found by name and summed over
    /// CPUs; a column the kernel does not have is absent from the result.
    static func parseStat(_ text: String, file: String) throws(ParseError) -> [String: Double] {
        let lines = text.splitASCII(UInt8(ascii: "\n"))
        guard let header = lines.first else { throw ParseError(file: file, line: 1, "expected a header line naming the columns") }
        let columns = header.splitASCIIWhitespace().map(String.init)
        guard columns.first == "entries" else {
            throw ParseError(file: file, line: 1, "expected a header starting with 'entries', found '\(header.prefix(40))'")
        }
        var totals: [String: Double] = [:]
        for (index, line) in lines.enumerated().dropFirst() {
            let values = line.splitASCIIWhitespace()
            guard values.count == columns.count else {
                throw ParseError(file: file, line: index + 1, "expected \(columns.count) columns, found \(values.count)")
            }
            for (column, value) in zip(columns, values) {
                guard let number = UInt64(value, radix: 16) else {
                    throw ParseError(file: file, line: index + 1, "\(column): expected a hexadecimal counter, found '\(value)'")
                }
                totals[column, default: 0] += Double(number)
            }
        }
        return totals
    }
}
