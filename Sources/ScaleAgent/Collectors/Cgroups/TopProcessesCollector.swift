#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// The N processes with the most resident memory, each with its name and systemd unit: who
/// is actually holding the memory when a service's cgroup grows or the host runs short.
///
/// Cheap by construction: one small read of /proc/PID/statm per process (the resident page
/// count, which the kernel computes from counters without walking the address space), and
/// comm and cgroup only for the N kept. Cardinality is bounded by N; `pid` churns as
/// processes restart, which is what identifies a leaking process across a restart.
public struct TopProcessesCollector: Collector {
    public let name = "top_processes"
    private let paths: HostPaths
    private let count: Int
    private let pageSize: UInt64

    public init(paths: HostPaths, count: Int = CgroupSettings().topProcesses, pageSize: UInt64? = nil) {
        self.paths = paths
        self.count = count
        self.pageSize = pageSize ?? UInt64(sysconf(Int32(_SC_PAGESIZE)))
    }

    public static let help =
        "Resident memory of the processes using the most (collectors.top_processes.count of them), "
            + "with the process's name and systemd unit (from /proc/PID/statm, comm and cgroup)."

    public func collect(into metrics: inout MetricsBuilder) throws {
        for process in try top() {
            metrics.gauge(
                "scalewatch_process_resident_memory_bytes", Self.help, Double(process.residentBytes),
                ["pid": process.pid, "comm": process.comm, "unit": process.unit ?? ""])
        }
    }

    struct Process: Equatable {
        var pid: String
        var residentBytes: UInt64
        var comm: String
        var unit: String?
    }

    /// Largest first; ties by pid, so that the selection is stable. Kernel threads (no
    /// memory of their own) and processes that exit while /proc is walked are left out.
    func top() throws -> [Process] {
        guard let entries = try CgroupFiles.entries(paths.procfs) else {
            throw FileReadError(path: paths.procfs, errno: ENOENT)
        }
        var kept: [(pid: String, pages: UInt64)] = []
        kept.reserveCapacity(count + 1)
        for pid in entries where Self.isNumeric(pid) {
            let file = paths.proc(pid + "/statm")
            guard let text = try CgroupFiles.read(file) else { continue }
            let pages = try CgroupParsing.residentPages(text, file: file)
            guard pages > 0 else { continue }
            if kept.count == count, let smallest = kept.last, !Self.ranksBefore((pid, pages), smallest) { continue }
            // N is small: insertion into a sorted array beats a heap and sorting everything.
            let index = kept.firstIndex { !Self.ranksBefore($0, (pid, pages)) } ?? kept.count
            kept.insert((pid, pages), at: index)
            if kept.count > count { kept.removeLast() }
        }
        var processes: [Process] = []
        for (pid, pages) in kept {
            guard let comm = try CgroupFiles.read(paths.proc(pid + "/comm")) else { continue }
            let cgroupFile = paths.proc(pid + "/cgroup")
            guard let cgroup = try CgroupFiles.read(cgroupFile) else { continue }
            processes.append(
                Process(
                    pid: pid, residentBytes: pages * pageSize, comm: CgroupParsing.comm(comm),
                    unit: try CgroupParsing.unit(fromProcessCgroup: cgroup, file: cgroupFile)))
        }
        return processes
    }

    private static func ranksBefore(_ lhs: (pid: String, pages: UInt64), _ rhs: (pid: String, pages: UInt64)) -> Bool {
        if lhs.pages != rhs.pages { return lhs.pages > rhs.pages }
        // Numeric pid order without converting: shorter is smaller.
        return lhs.pid.utf8.count != rhs.pid.utf8.count ? lhs.pid.utf8.count < rhs.pid.utf8.count : lhs.pid < rhs.pid
    }

    private static func isNumeric(_ name: String) -> Bool {
        !name.isEmpty && name.utf8.allSatisfy { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }
    }
}
