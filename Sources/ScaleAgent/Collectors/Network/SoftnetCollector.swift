/// Per-CPU packet processing from /proc/net/softnet_stat under node_exporter's `softnet`
/// names: `dropped` grows when a CPU's backlog queue overflows (raise
/// net.core.netdev_max_backlog), `times_squeezed` when its NAPI budget ran out.
public struct SoftnetCollector: Collector {
    public let name = "softnet"
    private let paths: HostPaths

    public init(paths: HostPaths) { self.paths = paths }

    public func collect(into metrics: inout MetricsBuilder) throws {
        let file = paths.proc("net/softnet_stat")
        for (cpu, row) in try Self.parse(FileReading.string(atPath: file), file: file).enumerated() {
            let label = String(cpu)
            metrics.counter("node_softnet_processed_total", "Number of processed packets", row.processed, ["cpu": label])
            metrics.counter("node_softnet_dropped_total", "Number of dropped packets", row.dropped, ["cpu": label])
            metrics.counter(
                "node_softnet_times_squeezed_total", "Number of times processing packets ran out of quota", row.timesSqueezed,
                ["cpu": label])
        }
    }

    struct Row: Equatable {
        var processed, dropped, timesSqueezed: Double
    }

    /// One line per online CPU, at least 11 hexadecimal columns without a header; the first
    /// three are processed, dropped and time_squeezed. The `cpu` label is the line's index, as
    /// in node_exporter (newer kernels add the CPU number as column 13, which it ignores).
    static func parse(_ text: String, file: String) throws(ParseError) -> [Row] {
        var rows: [Row] = []
        for (index, line) in text.splitASCII(UInt8(ascii: "\n")).enumerated() {
            let columns = line.splitASCIIWhitespace()
            guard columns.count >= 11 else {
                throw ParseError(file: file, line: index + 1, "expected at least 11 columns, found \(columns.count)")
            }
            var values: [Double] = []
            for (name, column) in zip(["processed", "dropped", "time_squeezed"], columns) {
                guard let value = UInt32(column, radix: 16) else {
                    throw ParseError(file: file, line: index + 1, "\(name): expected a hexadecimal counter, found '\(column)'")
                }
                values.append(Double(value))
            }
            rows.append(Row(processed: values[0], dropped: values[1], timesSqueezed: values[2]))
        }
        return rows
    }
}
