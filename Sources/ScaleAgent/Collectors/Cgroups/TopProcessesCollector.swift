#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import MetricStore
import NIOConcurrencyHelpers

/// Who is actually holding the memory when a service's cgroup grows or the host runs short:
/// the N largest groups of processes by resident memory, a group being one command (`comm`)
/// in one systemd unit, with how many processes it has and its largest process's pid and size.
///
/// Grouped rather than per process because per-pid series churn: short-lived processes enter
/// and leave a per-process top 10 under new pids (52 series in 3 minutes on a busy host), and
/// a restarted service's processes start new series too. The pid is kept as a value
/// (`scalewatch_process_group_largest_pid`), which says which process to look at without a
/// series per pid. `ProcessGroupAdmission` bounds the groups over any hour as well, since
/// units churn (one scope per login or container).
///
/// Per process one small read of /proc/PID/statm (the resident page count, which the kernel
/// computes from counters without walking the address space), and comm and cgroup for those
/// that have memory of their own (kernel threads have none).
public struct TopProcessesCollector: Collector {
    public let name = "top_processes"
    private let paths: HostPaths
    private let count: Int
    private let pageSize: UInt64
    private let clock: @Sendable () -> Duration
    private let admission: NIOLockedValueBox<ProcessGroupAdmission>

    /// Distinct groups allowed within any hour, per group reported at once: room for the
    /// groups around the N-th place to trade places all hour without any being refused.
    static let groupsPerHourFactor = 2

    public init(
        paths: HostPaths, count: Int = CgroupSettings().topProcesses, pageSize: UInt64? = nil,
        clock: @escaping @Sendable () -> Duration = TopProcessesCollector.monotonicNow
    ) {
        self.paths = paths
        self.count = count
        self.pageSize = pageSize ?? UInt64(sysconf(Int32(_SC_PAGESIZE)))
        self.clock = clock
        self.admission = NIOLockedValueBox(ProcessGroupAdmission(limit: count * Self.groupsPerHourFactor))
    }

    public static let monotonicNow: @Sendable () -> Duration = {
        let origin = ContinuousClock.Instant.now
        return { ContinuousClock.now - origin }
    }()

    static let residentHelp =
        "Resident memory of the processes of one command in one systemd unit, for the groups using the most "
        + "(collectors.top_processes.count of them; from /proc/PID/statm, comm and cgroup)."
    static let countHelp = "Processes in the group (same command, same systemd unit)."
    static let largestPIDHelp = "The pid of the group's largest process by resident memory (a value, not a label, so pids do not churn series)."
    static let largestResidentHelp = "Resident memory of the group's largest process."
    static let refusedHelp =
        "Process groups that ranked among the largest but were not reported, because 2 × collectors.top_processes.count "
        + "other groups were already reported within the last hour (the bound on this collector's series)."

    public func collect(into metrics: inout MetricsBuilder) throws {
        let ranked = ProcessGroup.rank(try processes())
        let now = clock()
        let (kept, refused) = admission.withLockedValue { $0.admit(ranked, count: count, now: now) }
        for group in kept {
            // One label set for the group's four samples; an empty value is no label.
            let labels = Labels(["comm": group.key.comm, "unit": group.key.unit ?? ""])
            func gauge(_ name: String, _ help: String, _ value: Double) {
                metrics.add(name, help, .gauge, value, labels: labels)
            }
            gauge("scalewatch_process_group_resident_memory_bytes", Self.residentHelp, Double(group.residentBytes))
            gauge("scalewatch_process_group_processes", Self.countHelp, Double(group.count))
            gauge("scalewatch_process_group_largest_pid", Self.largestPIDHelp, Double(group.largestPID))
            gauge("scalewatch_process_group_largest_resident_memory_bytes", Self.largestResidentHelp, Double(group.largestResidentBytes))
        }
        metrics.gauge("scalewatch_process_groups_refused", Self.refusedHelp, Double(refused))
    }

    /// Every process with resident memory of its own, with its name and unit. Kernel threads
    /// (no memory) and processes that exit while /proc is walked are left out.
    func processes() throws -> [ProcessGroup.Process] {
        guard let entries = try CgroupFiles.entries(paths.procfs) else {
            throw FileReadError(path: paths.procfs, errno: ENOENT)
        }
        var processes: [ProcessGroup.Process] = []
        for entry in entries {
            guard let pid = Self.pid(entry) else { continue }
            let statm = paths.proc(entry + "/statm")
            guard let text = try CgroupFiles.read(statm) else { continue }
            let pages = try CgroupParsing.residentPages(text, file: statm)
            guard pages > 0 else { continue }
            guard let comm = try CgroupFiles.read(paths.proc(entry + "/comm")) else { continue }
            let cgroupFile = paths.proc(entry + "/cgroup")
            guard let cgroup = try CgroupFiles.read(cgroupFile) else { continue }
            processes.append(
                ProcessGroup.Process(
                    pid: pid, residentBytes: pages &* pageSize, comm: CgroupParsing.comm(comm),
                    unit: try CgroupParsing.unit(fromProcessCgroup: cgroup, file: cgroupFile)))
        }
        return processes
    }

    /// A /proc entry that is a process: digits only (not `self`, `meminfo`, …).
    private static func pid(_ name: String) -> Int? {
        guard !name.isEmpty, name.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) else { return nil }
        return Int(name)
    }
}
