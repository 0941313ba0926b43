/// Per-CPU scheduler time from /proc/schedstat under node_exporter's `schedstat` names:
/// `waiting_seconds_total` is run-queue latency, time runnable tasks waited for this CPU — the
/// direct measure of CPU saturation. Absent on kernels without CONFIG_SCHEDSTATS: skipped.
public struct SchedstatCollector: Collector {
    public let name = "schedstat"
    private let paths: HostPaths

    public init(paths: HostPaths) { self.paths = paths }

    public func collect(into metrics: inout MetricsBuilder) throws {
        let file = paths.proc("schedstat")
        guard let text = try FileReading.optionalString(atPath: file) else { return }
        for cpu in try Self.parse(text, file: file) {
            metrics.counter(
                "node_schedstat_running_seconds_total", "Number of seconds CPU spent running a process.", cpu.runningSeconds,
                ["cpu": cpu.cpu])
            metrics.counter(
                "node_schedstat_waiting_seconds_total", "Number of seconds spent by processing waiting for this CPU.",
                cpu.waitingSeconds, ["cpu": cpu.cpu])
            metrics.counter("node_schedstat_timeslices_total", "Number of timeslices executed by CPU.", cpu.timeslices, ["cpu": cpu.cpu])
        }
    }

    struct CPU: Equatable {
        var cpu: String
        var runningSeconds, waitingSeconds, timeslices: Double
    }

    /// Version 15 (Documentation/scheduler/sched-stats.rst): `version`, `timestamp`, then per
    /// CPU `cpuN` and nine counters, the last three being time running (ns), time waiting (ns)
    /// and timeslices run; `domainN` lines are read past.
    static func parse(_ text: String, file: String) throws(ParseError) -> [CPU] {
        var cpus: [CPU] = []
        for (index, line) in text.splitASCII(UInt8(ascii: "\n")).enumerated() {
            let fields = line.splitASCIIWhitespace()
            guard let first = fields.first, first.hasPrefix("cpu") else { continue }
            let number = first.dropFirst(3)
            guard !number.isEmpty, number.allSatisfy({ $0.isASCII && $0.isNumber }) else {
                throw ParseError(file: file, line: index + 1, "expected 'cpuN', found '\(first)'")
            }
            guard fields.count >= 10 else {
                throw ParseError(file: file, line: index + 1, "expected 9 counters after \(first), found \(fields.count - 1)")
            }
            var values: [Double] = []
            for field in fields[7...9] {
                guard let value = UInt64(field) else {
                    throw ParseError(file: file, line: index + 1, "expected a counter, found '\(field)'")
                }
                values.append(Double(value))
            }
            cpus.append(CPU(cpu: String(number), runningSeconds: values[0] / 1e9, waitingSeconds: values[1] / 1e9, timeslices: values[2]))
        }
        return cpus
    }
}
