/// Kernel-wide activity counters from /proc/stat, under node_exporter's `stat` names.
/// The per-CPU times in the same file are `CPUCollector`'s.
public struct StatCollector: Collector {
    public let name = "stat"
    private let paths: HostPaths

    public init(paths: HostPaths) { self.paths = paths }

    public func collect(into metrics: inout MetricsBuilder) throws {
        let file = paths.proc("stat")
        let stat = try Self.parse(FileReading.string(atPath: file), file: file)
        metrics.gauge("node_boot_time_seconds", "Node boot time, in unixtime.", stat.bootTime)
        metrics.counter("node_context_switches_total", "Total number of context switches.", stat.contextSwitches)
        metrics.counter("node_forks_total", "Total number of forks.", stat.forks)
        metrics.counter("node_intr_total", "Total number of interrupts serviced.", stat.interrupts)
        metrics.gauge("node_procs_blocked", "Number of processes blocked waiting for I/O to complete.", stat.procsBlocked)
        metrics.gauge("node_procs_running", "Number of processes in runnable state.", stat.procsRunning)
    }

    struct KernelStat: Equatable {
        var bootTime, contextSwitches, forks, interrupts, procsRunning, procsBlocked: Double
    }

    /// Lines are `key value…`; for `intr` the first value is the total and the rest are
    /// per-IRQ counts, which are not reported. Every key here has been present since
    /// Linux 2.6, so a missing one means the file is not what it should be.
    static func parse(_ text: String, file: String) throws(ParseError) -> KernelStat {
        var found: [Substring: Double] = [:]
        let wanted: Set<Substring> = ["btime", "ctxt", "processes", "intr", "procs_running", "procs_blocked"]
        for (index, line) in text.splitASCII(UInt8(ascii: "\n"), omittingEmptySubsequences: false).enumerated() {
            let fields = line.split(separator: " ", maxSplits: 2)
            guard let key = fields.first, wanted.contains(key) else { continue }
            guard fields.count >= 2, let value = UInt64(fields[1]) else {
                throw ParseError(file: file, line: index + 1, "'\(key)': expected an unsigned integer after the key")
            }
            found[key] = Double(value)
        }
        func value(_ key: Substring) throws(ParseError) -> Double {
            guard let value = found[key] else { throw ParseError(file: file, line: 0, "missing the '\(key)' line") }
            return value
        }
        return try KernelStat(
            bootTime: value("btime"), contextSwitches: value("ctxt"), forks: value("processes"),
            interrupts: value("intr"), procsRunning: value("procs_running"), procsBlocked: value("procs_blocked"))
    }
}
