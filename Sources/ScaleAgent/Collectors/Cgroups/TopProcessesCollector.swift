#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import MetricStore
import NIOConcurrencyHelpers

/// Who is actually holding the memory when a service's cgroup grows or the host runs short:
/// the N largest groups of processes by resident memory, a group being one command (`comm`)
/// in one systemd unit, with how many processes it has, the CPU time its processes used, and its
/// largest process's pid and size.
///
/// Grouped rather than per process because per-pid series churn: short-lived processes enter
/// and leave a per-process top 10 under new pids (52 series in 3 minutes on a busy host), and
/// a restarted service's processes start new series too. The pid is kept as a value
/// (`scalewatch_process_group_largest_pid`), which says which process to look at without a
/// series per pid. `ProcessGroupAdmission` bounds the groups over any hour as well, since
/// units churn (one scope per login or container).
///
/// A process seen for the first time costs one small read of /proc/PID/statm, which tells
/// kernel threads (no memory of their own, most of /proc on many hosts) at a quarter of the
/// kernel's cost of /proc/PID/stat; after that, a kernel thread costs nothing and a process
/// with memory skips statm (`ProcessKindCache`). For a process with memory, /proc/PID/stat
/// (name, CPU time, start time, and the resident page count, which the kernel computes from
/// counters without walking the address space), and /proc/PID/cgroup when the process is new
/// or its unit was read over a minute ago (`ProcessUnitCache`).
public struct TopProcessesCollector: Collector {
    public let name = "top_processes"
    private let paths: HostPaths
    private let count: Int
    private let pageSize: UInt64
    private let clock: @Sendable () -> Duration
    private let state: NIOLockedValueBox<State>

    private struct State {
        var admission: ProcessGroupAdmission
        var cpu = ProcessGroupCPU()
        var caches = Caches()
    }

    /// What a collection learns about the processes for the next: their units and kinds.
    struct Caches {
        var units = ProcessUnitCache()
        var kinds = ProcessKindCache()
    }

    /// Distinct groups allowed within any hour, per group reported at once: room for the
    /// groups around the N-th place to trade places all hour without any being refused.
    static let groupsPerHourFactor = 2

    private let ticksPerSecond: Double

    public init(
        paths: HostPaths, count: Int = CgroupSettings().topProcesses, pageSize: UInt64? = nil,
        clock: @escaping @Sendable () -> Duration = TopProcessesCollector.monotonicNow
    ) {
        self.paths = paths
        self.count = count
        self.pageSize = pageSize ?? UInt64(sysconf(Int32(_SC_PAGESIZE)))
        self.clock = clock
        self.state = NIOLockedValueBox(State(admission: ProcessGroupAdmission(limit: count * Self.groupsPerHourFactor)))
        self.ticksPerSecond = Double(max(1, sysconf(Int32(_SC_CLK_TCK))))
    }

    public static let monotonicNow: @Sendable () -> Duration = {
        let origin = ContinuousClock.Instant.now
        return { ContinuousClock.now - origin }
    }()

    static let residentHelp =
        "Resident memory of the processes of one command in one systemd unit, for the groups using the most "
        + "(collectors.top_processes.count of them; from /proc/PID/stat and cgroup)."
    static let countHelp = "Processes in the group (same command, same systemd unit)."
    static let largestPIDHelp = "The pid of the group's largest process by resident memory (a value, not a label, so pids do not churn series)."
    static let largestResidentHelp = "Resident memory of the group's largest process."
    static let cpuHelp =
        "CPU time, user and system, the group's processes used while the agent saw them (/proc/PID/stat utime and stime; "
        + "a process's last interval before it exits is not seen)."
    static let refusedHelp =
        "Process groups that ranked among the largest but were not reported, because 2 × collectors.top_processes.count "
        + "other groups were already reported within the last hour (the bound on this collector's series)."

    public func collect(into metrics: inout MetricsBuilder) throws {
        let now = clock()
        // Taken out while /proc is walked, outside the lock; a collection running at the same
        // time finds them empty and reads every file, which is only slower.
        var caches = state.withLockedValue { state in
            defer { state.caches = Caches() }
            return state.caches
        }
        let processes = try processes(caches: &caches, now: now)
        state.withLockedValue { $0.caches = caches }
        let ranked = ProcessGroup.rank(processes)
        let samples = processes.map {
            ProcessGroupCPU.Sample(
                pid: $0.pid, startTicks: $0.startTicks, cpuTicks: $0.cpuTicks, key: .init(comm: $0.comm, unit: $0.unit))
        }
        let (kept, refused, cpuTicks) = state.withLockedValue { state in
            state.cpu.update(samples)
            let (kept, refused) = state.admission.admit(ranked, count: count, now: now)
            return (kept, refused, kept.map { state.cpu.totals[$0.key] ?? 0 })
        }
        for (group, ticks) in zip(kept, cpuTicks) {
            // One label set for the group's five samples; an empty value is no label.
            let labels = Labels(["comm": group.key.comm, "unit": group.key.unit ?? ""])
            func gauge(_ name: String, _ help: String, _ value: Double) {
                metrics.add(name, help, .gauge, value, labels: labels)
            }
            gauge("scalewatch_process_group_resident_memory_bytes", Self.residentHelp, Double(group.residentBytes))
            gauge("scalewatch_process_group_processes", Self.countHelp, Double(group.count))
            gauge("scalewatch_process_group_largest_pid", Self.largestPIDHelp, Double(group.largestPID))
            gauge("scalewatch_process_group_largest_resident_memory_bytes", Self.largestResidentHelp, Double(group.largestResidentBytes))
            metrics.add("scalewatch_process_group_cpu_seconds_total", Self.cpuHelp, .counter, Double(ticks) / ticksPerSecond, labels: labels)
        }
        metrics.gauge("scalewatch_process_groups_refused", Self.refusedHelp, Double(refused))
    }

    /// Every process with resident memory of its own, with its name and unit. Kernel threads
    /// (no memory) and processes that exit while /proc is walked are left out.
    func processes() throws -> [ProcessGroup.Process] {
        var caches = Caches()
        return try processes(caches: &caches, now: clock())
    }

    func processes(caches: inout Caches, now: Duration) throws -> [ProcessGroup.Process] {
        guard let entries = try CgroupFiles.listing(paths.procfs) else {
            throw FileReadError(path: paths.procfs, errno: ENOENT)
        }
        var processes: [ProcessGroup.Process] = []
        var listed = Set<Int>(minimumCapacity: entries.count)
        var running = Set<Int>(minimumCapacity: entries.count)
        for entry in entries {
            guard let pid = Self.pid(entry.name) else { continue }
            listed.insert(pid)
            let directory = entry.name
            switch caches.kinds.kind(pid: pid, inode: entry.inode, now: now) {
            case .memoryless?: continue
            case .withMemory?: break
            case nil:
                // Without statm (a procfs that lacks it), stat tells kernel threads as well.
                let statmFile = paths.proc(directory + "/statm")
                guard let statm = try CgroupFiles.read(statmFile, oneRecord: true) else { break }
                let pages = try CgroupParsing.statmPages(statm, file: statmFile)
                let kind: ProcessKindCache.Kind = pages.size == 0 ? .memoryless : .withMemory
                caches.kinds.store(pid: pid, inode: entry.inode, kind: kind, now: now)
                // Resident 0 with an address space: swapped out whole, so not among the largest.
                if pages.resident == 0 { continue }
            }
            let statFile = paths.proc(directory + "/stat")
            // One record (single_open): no second read per process to see its end.
            guard let statText = try CgroupFiles.read(statFile, oneRecord: true) else { continue }
            let stat = try CgroupParsing.processStat(statText, file: statFile)
            guard stat.residentPages > 0 else { continue }
            running.insert(pid)
            let unit: String?
            if let cached = caches.units.unit(pid: pid, startTicks: stat.startTicks, now: now) {
                unit = cached
            } else {
                let cgroupFile = paths.proc(directory + "/cgroup")
                guard let cgroup = try CgroupFiles.read(cgroupFile) else { continue }
                unit = try CgroupParsing.unit(fromProcessCgroup: cgroup, file: cgroupFile)
                caches.units.store(pid: pid, startTicks: stat.startTicks, unit: unit, now: now)
            }
            processes.append(
                ProcessGroup.Process(
                    pid: pid, residentBytes: stat.residentPages &* pageSize, comm: stat.comm, unit: unit,
                    cpuTicks: stat.cpuTicks, startTicks: stat.startTicks))
        }
        caches.units.keep(only: running)
        caches.kinds.keep(only: listed)
        return processes
    }

    /// A /proc entry that is a process: digits only (not `self`, `meminfo`, …).
    private static func pid(_ name: String) -> Int? {
        guard !name.isEmpty, name.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) else { return nil }
        return Int(name)
    }
}
