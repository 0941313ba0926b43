/// The run-queue load averages from /proc/loadavg, under node_exporter's `loadavg` names.
public struct LoadavgCollector: Collector {
    public let name = "loadavg"
    private let paths: HostPaths

    public init(paths: HostPaths) { self.paths = paths }

    public func collect(into metrics: inout MetricsBuilder) throws {
        let file = paths.proc("loadavg")
        let load = try Self.parse(FileReading.string(atPath: file), file: file)
        metrics.gauge("node_load1", "1m load average.", load.one)
        metrics.gauge("node_load5", "5m load average.", load.five)
        metrics.gauge("node_load15", "15m load average.", load.fifteen)
    }

    struct LoadAverage: Equatable {
        var one, five, fifteen: Double
    }

    /// `0.32 0.19 0.07 1/115 5775`: only the first three fields are load averages; the
    /// runnable/total and last-pid fields belong to other collectors.
    static func parse(_ text: String, file: String) throws(ParseError) -> LoadAverage {
        let fields = text.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" })
        guard fields.count >= 3 else {
            throw ParseError(file: file, line: 1, "expected 3 load averages, found \(fields.count) fields")
        }
        var values: [Double] = []
        for (index, field) in fields.prefix(3).enumerated() {
            guard let value = Double(field), value.isFinite, value >= 0 else {
                throw ParseError(file: file, line: 1, "load average \(index + 1): expected a number, found '\(field)'")
            }
            values.append(value)
        }
        return LoadAverage(one: values[0], five: values[1], fifteen: values[2])
    }
}
