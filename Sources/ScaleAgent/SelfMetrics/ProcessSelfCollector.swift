#if canImport(Glibc)
import Glibc
#endif
import NIOConcurrencyHelpers

/// The standard `process_*` metrics of client libraries, for the agent itself, plus
/// `scalewatch_build_info`. Always reads the real /proc/self: it describes this process, not
/// the host tree the other collectors may be pointed at.
public struct ProcessSelfCollector: Collector {
    public let name = "process"
    private let procSelf: String
    private let procStat: String

    public init(procSelf: String = "/proc/self", procStat: String = "/proc/stat") {
        self.procSelf = procSelf
        self.procStat = procStat
    }

    public func collect(into metrics: inout MetricsBuilder) throws {
        let statFile = procSelf + "/stat"
        let stat = try Self.parseStat(FileReading.string(atPath: statFile, oneRecord: true), file: statFile)
        let ticksPerSecond = Double(sysconf(Int32(_SC_CLK_TCK)))
        let pageSize = Double(sysconf(Int32(_SC_PAGESIZE)))

        metrics.counter(
            "process_cpu_seconds_total", "Total user and system CPU time spent in seconds.",
            Double(stat.userTicks + stat.systemTicks) / ticksPerSecond)
        metrics.gauge("process_resident_memory_bytes", "Resident memory size in bytes.", Double(stat.residentPages) * pageSize)
        metrics.gauge("process_virtual_memory_bytes", "Virtual memory size in bytes.", Double(stat.virtualBytes))
        if let bootTime = try bootTime() {
            metrics.gauge(
                "process_start_time_seconds", "Start time of the process since unix epoch in seconds.",
                bootTime + Double(stat.startTicks) / ticksPerSecond)
        }
        if let openFiles = try Self.openFileCount(procSelf + "/fd") {
            metrics.gauge("process_open_fds", "Number of open file descriptors.", Double(openFiles))
        }
        var limit = rlimit()
        if getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0 {
            metrics.gauge("process_max_fds", "Maximum number of open file descriptors.", Double(limit.rlim_cur))
        }
        // Unlimited is RLIM_INFINITY (2^64-1), reported as is, like client_golang does.
        if getrlimit(Int32(RLIMIT_AS.rawValue), &limit) == 0 {
            metrics.gauge(
                "process_virtual_memory_max_bytes", "Maximum amount of virtual memory available in bytes.",
                Double(limit.rlim_cur))
        }
        metrics.gauge(
            "scalewatch_build_info", "A metric with a constant '1' value labeled by the scalewatch version.", 1,
            ["version": ScaleAgentVersion.current])
    }

    /// Linux 6.2 and later give a procfs `fd` directory's size as its count of open descriptors:
    /// one stat rather than a listing of hundreds of names (the collectors' kept descriptors
    /// among them) at every collection. Older kernels, and a tree that is not procfs, are listed.
    static func openFileCount(_ directory: String) throws(FileReadError) -> Int? {
        let descriptor = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if descriptor >= 0 {
            defer { close(descriptor) }
            var info = stat()
            if PseudoFileCache.isProcfs(descriptor), fstat(descriptor, &info) == 0, info.st_size > 0 {
                return Int(info.st_size)
            }
        }
        return try FileReading.directoryEntries(atPath: directory, sorted: false)?.count
    }

    /// The boot time never changes while the process runs: read /proc/stat (a large file)
    /// once, not at every collection.
    private let cachedBootTime = NIOLockedValueBox<Double?>(nil)

    private func bootTime() throws -> Double? {
        if let known = cachedBootTime.withLockedValue({ $0 }) { return known }
        let value = Self.bootTime(try FileReading.string(atPath: procStat))
        cachedBootTime.withLockedValue { $0 = value }
        return value
    }

    struct Stat: Equatable {
        var userTicks: Int
        var systemTicks: Int
        var startTicks: Int
        var virtualBytes: Int
        var residentPages: Int
    }

    /// /proc/PID/stat: the command name in parentheses may itself contain spaces and
    /// parentheses, so fields are counted from the last ')'.
    static func parseStat(_ text: String, file: String) throws(ParseError) -> Stat {
        guard let close = text.lastIndex(of: ")") else {
            throw ParseError(file: file, line: 1, "expected 'pid (comm) state …'")
        }
        let fields = text[text.index(after: close)...].split(separator: " ", omittingEmptySubsequences: true)
        // After the comm: state(0) … utime(11) stime(12) … starttime(19) vsize(20) rss(21).
        guard fields.count > 21,
            let user = Int(fields[11]), let system = Int(fields[12]), let start = Int(fields[19]),
            let virtual = Int(fields[20]), let resident = Int(fields[21])
        else {
            throw ParseError(file: file, line: 1, "expected at least 24 numeric fields")
        }
        return Stat(userTicks: user, systemTicks: system, startTicks: start, virtualBytes: virtual, residentPages: resident)
    }

    static func bootTime(_ procStat: String) -> Double? {
        for line in procStat.split(separator: "\n") where line.hasPrefix("btime ") {
            return Double(line.dropFirst("btime ".count).trimmingSpaces())
        }
        return nil
    }
}
