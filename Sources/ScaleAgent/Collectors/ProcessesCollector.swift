#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Process and thread counts by scheduler state, walking /proc/[pid]/stat and
/// /proc/[pid]/task/[tid]/stat as node_exporter's `processes` collector does, plus the
/// kernel's pid and thread limits: a fork bomb or a thread leak shows here first.
public struct ProcessesCollector: Collector {
    public let name = "processes"
    private let paths: HostPaths

    public init(paths: HostPaths) { self.paths = paths }

    public func collect(into metrics: inout MetricsBuilder) throws {
        let counts = try census()
        let maxThreads = try Self.readLimit(paths.proc("sys/kernel/threads-max"))
        let maxProcesses = try Self.readLimit(paths.proc("sys/kernel/pid_max"))

        metrics.gauge("node_processes_max_processes", "Number of max PIDs limit", maxProcesses)
        metrics.gauge("node_processes_max_threads", "Limit of threads in the system", maxThreads)
        metrics.gauge("node_processes_pids", "Number of PIDs", Double(counts.processes))
        for (state, count) in counts.processStates.sorted(by: { $0.key < $1.key }) {
            metrics.gauge("node_processes_state", "Number of processes in each state.", Double(count), ["state": state])
        }
        metrics.gauge("node_processes_threads", "Allocated threads in system", Double(counts.threads))
        for (state, count) in counts.threadStates.sorted(by: { $0.key < $1.key }) {
            let help = "Number of threads in each state."
            metrics.gauge("node_processes_threads_state", help, Double(count), ["thread_state": state])
        }
    }

    struct Census: Equatable {
        var processes = 0
        /// The sum of the processes' own thread counts (`num_threads`), which can differ
        /// slightly from the threads counted by state, read a moment later.
        var threads = 0
        var processStates: [String: Int] = [:]
        var threadStates: [String: Int] = [:]
    }

    /// Processes and threads come and go while /proc is walked; one that is gone by the
    /// time its stat file is read is skipped, as it would not have been listed a moment later.
    func census() throws -> Census {
        var census = Census()
        guard let entries = try FileReading.directoryEntries(atPath: paths.procfs, sorted: false) else {
            throw FileReadError(path: paths.procfs, errno: ENOENT)
        }
        for pid in entries where Self.isNumeric(pid) {
            let file = paths.proc(pid + "/stat")
            guard let text = try Self.readIfPresent(file) else { continue }
            let process = try Self.parse(text, file: file)
            census.processes += 1
            census.processStates[process.state, default: 0] += 1
            census.threads += process.threads
            // Most processes have one thread, whose state is the process's: skip listing and
            // reading task/, which would double the /proc reads of a collection.
            if process.threads == 1 {
                census.threadStates[process.state, default: 0] += 1
                continue
            }
            guard let tasks = try Self.listIfPresent(paths.proc(pid + "/task")) else { continue }
            for tid in tasks where Self.isNumeric(tid) {
                // The main thread's state is the process's, already read.
                if tid == pid {
                    census.threadStates[process.state, default: 0] += 1
                    continue
                }
                let taskFile = paths.proc(pid + "/task/" + tid + "/stat")
                guard let taskText = try Self.readIfPresent(taskFile) else { continue }
                census.threadStates[try Self.parse(taskText, file: taskFile).state, default: 0] += 1
            }
        }
        return census
    }

    struct TaskStat: Equatable {
        /// One letter: R running, S sleeping, D disk sleep, Z zombie, T stopped, I idle, …
        var state: String
        var threads: Int
    }

    /// `pid (comm) state ppid …`. comm is the program's own choice of up to 15 bytes and may
    /// hold spaces and parentheses, so the fields are counted from the last `)`.
    static func parse(_ text: String, file: String) throws(ParseError) -> TaskStat {
        // Byte-level: this runs for every thread on the host at every collection.
        let bytes = Array(text.utf8)
        guard let close = bytes.lastIndex(of: UInt8(ascii: ")")), bytes.contains(UInt8(ascii: "(")) else {
            throw ParseError(file: file, line: 1, "expected 'pid (comm) state …'")
        }
        let fields = bytes[(close + 1)...].split(whereSeparator: { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\n") })
        // state is field 3 of proc(5), num_threads field 20: the 1st and 18th after comm.
        guard fields.count >= 18 else {
            throw ParseError(file: file, line: 1, "expected at least 18 fields after comm, found \(fields.count)")
        }
        let state = fields[0]
        guard state.count == 1, let letter = state.first,
            (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(letter) || (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(letter)
        else {
            throw ParseError(file: file, line: 1, "state: expected one letter, found '\(String(decoding: state, as: UTF8.self))'")
        }
        guard let threads = Self.unsigned(fields[17]) else {
            throw ParseError(
                file: file, line: 1, "num_threads: expected a count, found '\(String(decoding: fields[17], as: UTF8.self))'")
        }
        return TaskStat(state: Self.stateNames[Int(letter)], threads: threads)
    }

    /// One-letter state names, made once instead of a String per task.
    private static let stateNames: [String] = (0..<256).map { String(UnicodeScalar(UInt8($0))) }

    private static func unsigned(_ digits: ArraySlice<UInt8>) -> Int? {
        guard !digits.isEmpty, digits.count < 19 else { return nil }
        var value = 0
        for digit in digits {
            guard digit >= UInt8(ascii: "0"), digit <= UInt8(ascii: "9") else { return nil }
            value = value * 10 + Int(digit - UInt8(ascii: "0"))
        }
        return value
    }

    /// pid_max and threads-max: one unsigned integer.
    static func parseLimit(_ text: String, file: String) throws(ParseError) -> Double {
        let trimmed = text.splitASCII(UInt8(ascii: "\n"))
        guard trimmed.count == 1, let value = UInt64(trimmed[0]) else {
            throw ParseError(file: file, line: 1, "expected one unsigned integer")
        }
        return Double(value)
    }

    private static func readLimit(_ file: String) throws -> Double {
        try parseLimit(FileReading.string(atPath: file), file: file)
    }

    /// A stat file that is gone (ENOENT) or whose task has exited but not yet been removed
    /// from /proc (ESRCH) belongs to a task that no longer exists.
    private static func readIfPresent(_ file: String) throws(FileReadError) -> String? {
        do {
            return try FileReading.string(atPath: file)
        } catch where error.isNotFound || error.errno == ESRCH {
            return nil
        }
    }

    private static func listIfPresent(_ directory: String) throws(FileReadError) -> [String]? {
        do {
            return try FileReading.directoryEntries(atPath: directory, sorted: false)
        } catch where error.errno == ESRCH {
            return nil
        }
    }

    private static func isNumeric(_ name: String) -> Bool {
        !name.isEmpty && name.utf8.allSatisfy { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }
    }
}
