#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Socket counts by protocol and state from /proc/net/sockstat and sockstat6, under
/// node_exporter's `sockstat` names: `node_sockstat_TCP_tw` (time-wait),
/// `node_sockstat_TCP_mem_bytes`, `node_sockstat_sockets_used`, …
public struct SockstatCollector: Collector {
    public let name = "sockstat"
    private let paths: HostPaths
    private let pageSize: Int

    /// `pageSize` converts the kernel's `mem` (pages) into `mem_bytes`.
    public init(paths: HostPaths, pageSize: Int = Int(sysconf(Int32(_SC_PAGESIZE)))) {
        self.paths = paths
        self.pageSize = pageSize
    }

    public func collect(into metrics: inout MetricsBuilder) throws {
        // Either file is absent when its IP version is disabled in the kernel.
        for relative in ["net/sockstat", "net/sockstat6"] {
            let file = paths.proc(relative)
            guard let text = try FileReading.optionalString(atPath: file) else { continue }
            for line in try Self.parse(text, file: file) {
                emit(line, into: &metrics)
            }
        }
    }

    /// One line, `TCP: inuse 2 orphan 0 tw 0 alloc 2 mem 187`, as its label and its
    /// key-value pairs in file order.
    struct Line: Equatable {
        var label: String
        var values: [(key: String, value: Int)]

        static func == (lhs: Line, rhs: Line) -> Bool {
            lhs.label == rhs.label && lhs.values.elementsEqual(rhs.values) { $0 == $1 }
        }
    }

    static func parse(_ text: String, file: String) throws(ParseError) -> [Line] {
        var lines: [Line] = []
        for (index, line) in text.splitASCII(UInt8(ascii: "\n"), omittingEmptySubsequences: false).enumerated() {
            let fields = line.splitASCII(UInt8(ascii: " "))
            if fields.isEmpty { continue }
            guard fields[0].count > 1, fields[0].last == ":" else {
                throw ParseError(file: file, line: index + 1, "expected a protocol name ending in ':', found '\(fields[0])'")
            }
            let label = fields[0].dropLast()
            guard fields.count % 2 == 1 else {
                throw ParseError(file: file, line: index + 1, "expected name-value pairs after '\(fields[0])', found \(fields.count - 1) fields")
            }
            var values: [(key: String, value: Int)] = []
            for pair in stride(from: 1, to: fields.count, by: 2) {
                guard let value = Int(fields[pair + 1]) else {
                    throw ParseError(file: file, line: index + 1, "expected a count for \(label) \(fields[pair]), found '\(fields[pair + 1])'")
                }
                values.append((String(fields[pair]), value))
            }
            lines.append(Line(label: String(label), values: values))
        }
        return lines
    }

    /// The states node_exporter knows; a key a newer kernel adds is not exported until it
    /// is known, as in node_exporter.
    private static let states: Set<String> = ["inuse", "orphan", "tw", "alloc", "mem", "memory"]

    private func emit(_ line: Line, into metrics: inout MetricsBuilder) {
        if line.label == "sockets" {
            // Only IPv4 prints this line.
            if let used = line.values.first(where: { $0.key == "used" }) {
                metrics.gauge("node_sockstat_sockets_used", "Number of IPv4 sockets in use.", Double(used.value))
            }
            return
        }
        for (state, value) in line.values where Self.states.contains(state) {
            gauge(line.label, state, Double(value), into: &metrics)
        }
        if let pages = line.values.first(where: { $0.key == "mem" }) {
            gauge(line.label, "mem_bytes", Double(pages.value) * Double(pageSize), into: &metrics)
        }
    }

    private func gauge(_ proto: String, _ state: String, _ value: Double, into metrics: inout MetricsBuilder) {
        metrics.gauge("node_sockstat_\(proto)_\(state)", "Number of \(proto) sockets in state \(state).", value)
    }
}
