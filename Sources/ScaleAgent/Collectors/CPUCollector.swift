import NIOConcurrencyHelpers

/// Per-CPU time by mode from the `cpuN` lines of /proc/stat, under node_exporter's `cpu`
/// names. The aggregate `cpu` line is left out, as node_exporter does: `sum by (mode)`
/// recovers it, and exporting both would double every sum over the family.
public struct CPUCollector: Collector {
    public let name = "cpu"
    private let paths: HostPaths
    private let lastSeen = NIOLockedValueBox<[String: CPUTimes]>([:])

    public init(paths: HostPaths) { self.paths = paths }

    public func collect(into metrics: inout MetricsBuilder) throws {
        let file = paths.proc("stat")
        let current = try Self.parse(FileReading.string(atPath: file), file: file)
        let reported = lastSeen.withLockedValue { lastSeen in
            var next: [String: CPUTimes] = [:]
            let reported = current.map { cpu in
                let times = Self.monotonic(cpu.times, after: lastSeen[cpu.id])
                next[cpu.id] = times
                return CPU(id: cpu.id, times: times)
            }
            // Only CPUs still listed are kept, so an offlined CPU stops being reported.
            lastSeen = next
            return reported
        }
        for cpu in reported {
            let help = "Seconds the CPUs spent in each mode."
            let t = cpu.times
            metrics.counter("node_cpu_seconds_total", help, t.idle, ["cpu": cpu.id, "mode": "idle"])
            metrics.counter("node_cpu_seconds_total", help, t.iowait, ["cpu": cpu.id, "mode": "iowait"])
            metrics.counter("node_cpu_seconds_total", help, t.irq, ["cpu": cpu.id, "mode": "irq"])
            metrics.counter("node_cpu_seconds_total", help, t.nice, ["cpu": cpu.id, "mode": "nice"])
            metrics.counter("node_cpu_seconds_total", help, t.softirq, ["cpu": cpu.id, "mode": "softirq"])
            metrics.counter("node_cpu_seconds_total", help, t.steal, ["cpu": cpu.id, "mode": "steal"])
            metrics.counter("node_cpu_seconds_total", help, t.system, ["cpu": cpu.id, "mode": "system"])
            metrics.counter("node_cpu_seconds_total", help, t.user, ["cpu": cpu.id, "mode": "user"])
        }
        // Guest time is already included in user and nice; this family only breaks it out.
        for cpu in reported {
            let help = "Seconds the CPUs spent in guests (VMs) for each mode."
            metrics.counter("node_cpu_guest_seconds_total", help, cpu.times.guestNice, ["cpu": cpu.id, "mode": "nice"])
            metrics.counter("node_cpu_guest_seconds_total", help, cpu.times.guest, ["cpu": cpu.id, "mode": "user"])
        }
    }

    /// Seconds per mode, in /proc/stat's column order.
    struct CPUTimes: Equatable {
        var user, nice, system, idle, iowait, irq, softirq, steal, guest, guestNice: Double
    }

    struct CPU: Equatable {
        /// The number after `cpu`, as the kernel prints it: the `cpu` label value.
        var id: String
        var times: CPUTimes
    }

    /// USER_HZ, the unit of /proc/stat's times. It is 100 on every architecture Linux
    /// supports (the kernel converts from its internal HZ before printing).
    static let ticksPerSecond = 100.0

    /// The `cpuN user nice system idle iowait irq softirq steal guest guest_nice` lines.
    /// All ten columns exist since Linux 2.6.33; columns a later kernel appends are ignored.
    static func parse(_ text: String, file: String) throws(ParseError) -> [CPU] {
        var cpus: [CPU] = []
        for (index, line) in text.splitASCII(UInt8(ascii: "\n"), omittingEmptySubsequences: false).enumerated() {
            guard line.hasPrefix("cpu") else { continue }
            let fields = line.splitASCII(UInt8(ascii: " "))
            let id = fields[0].dropFirst(3)
            if id.isEmpty { continue }  // the aggregate line
            guard id.allSatisfy(\.isASCIIDigit) else {
                throw ParseError(file: file, line: index + 1, "expected 'cpu' followed by a CPU number, found '\(fields[0])'")
            }
            guard fields.count >= 11 else {
                throw ParseError(file: file, line: index + 1, "expected 10 times after '\(fields[0])', found \(fields.count - 1)")
            }
            var seconds: [Double] = []
            for field in fields[1...10] {
                guard let ticks = UInt64(field) else {
                    throw ParseError(file: file, line: index + 1, "expected a tick count, found '\(field)'")
                }
                seconds.append(Double(ticks) / ticksPerSecond)
            }
            let times = CPUTimes(
                user: seconds[0], nice: seconds[1], system: seconds[2], idle: seconds[3], iowait: seconds[4],
                irq: seconds[5], softirq: seconds[6], steal: seconds[7], guest: seconds[8], guestNice: seconds[9])
            cpus.append(CPU(id: String(id), times: times))
        }
        if cpus.isEmpty {
            throw ParseError(file: file, line: 0, "expected at least one 'cpuN' line")
        }
        return cpus
    }

    /// How far idle may fall before the CPU is taken to have been hot-unplugged and
    /// re-added (its counters restarted), as node_exporter judges it.
    static let jumpBackSeconds = 3.0

    /// The kernel's iowait (and, on some virtualised hosts, other modes) can step backwards
    /// a little; a counter that decreases reads as a reset to `rate()` and produces a huge
    /// spike. So each mode keeps its highest value seen, unless idle fell by so much that
    /// the CPU was evidently replugged, when the new values are taken as they are.
    static func monotonic(_ new: CPUTimes, after old: CPUTimes?) -> CPUTimes {
        guard let old, old.idle - new.idle < jumpBackSeconds else { return new }
        return CPUTimes(
            user: max(old.user, new.user), nice: max(old.nice, new.nice), system: max(old.system, new.system),
            idle: max(old.idle, new.idle), iowait: max(old.iowait, new.iowait), irq: max(old.irq, new.irq),
            softirq: max(old.softirq, new.softirq), steal: max(old.steal, new.steal),
            guest: max(old.guest, new.guest), guestNice: max(old.guestNice, new.guestNice))
    }
}

extension Character {
    fileprivate var isASCIIDigit: Bool { ("0"..."9").contains(self) }
}
