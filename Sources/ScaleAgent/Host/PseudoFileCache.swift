#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import CFileSystemType
import MetricStore

/// Descriptors of kernel pseudo-files (procfs, sysfs, cgroupfs) kept open between collections
/// and read again from offset 0.
///
/// A collection reads some five hundred such files. Opening and closing them (a path walk
/// through procfs or kernfs, a file and its seq_file set up and torn down) cost a fifth of the
/// agent's CPU per collection, more than reading them. The kernel generates a pseudo-file's
/// contents anew on every read from offset 0, so a kept descriptor reads what a fresh open
/// would, with these exceptions:
/// - Its object is gone (the process exited, the device or cgroup was removed): the read fails
///   (ESRCH, ENODEV), the descriptor is closed and the path opened afresh, which reports what an
///   open reports. A process id taken by a new process is such a case: the kept descriptor
///   still names the old process. Other errors (EINVAL from a link's `speed` while it is down)
///   are the file's answer, and its descriptor is kept.
/// - The path now names another object (an interface renamed while another took its name):
///   callers that can tell `forget` the path's prefix (netclass compares `ifindex`).
/// Files on other file systems (configs, text files, fixture trees) are never kept: a rename
/// over them would go unseen.
///
/// A descriptor is held by one reader at a time (seq_file's position is per descriptor).
/// Descriptors unused for `idleRounds` collections are closed; at most `capacity` are kept, and
/// no more than the budget the HTTP server leaves (`FileDescriptorLimit.keptFilesShare`; an
/// eighth of the soft file limit until it says), so that connections, the store, the log
/// followers and PostgreSQL keep theirs.
public final class PseudoFileCache: Sendable {
    public static let shared = PseudoFileCache()

    private struct Entry {
        var descriptor: Int32
        var lastRound: UInt64
        /// A read shorter than this is all of the file (`FileReading.string(readingUntilEnd:)`).
        var endingBelow: Int
    }

    private struct State {
        var idle: [String: Entry] = [:]
        var round: UInt64 = 0
        /// An eighth of the soft file limit until the HTTP server sets it.
        var budget: Int
    }

    private let state: Locked<State>
    private let capacity: Int
    private let idleRounds: UInt64

    public init(capacity: Int = 4096, idleRounds: UInt64 = 3) {
        self.capacity = capacity
        self.idleRounds = idleRounds
        self.state = Locked(State(budget: Self.softFileLimit() / 8))
    }

    deinit {
        state.withLock { state in
            for entry in state.idle.values { close(entry.descriptor) }
        }
    }

    /// The whole file as text, as `FileReading.string(atPath:)` reads it.
    /// `endingBelow`: what the caller knows of the file's reads (`FileReading.string(atPath:)`),
    /// which holds for the kernel's own files only (a fixture root on a network file system may
    /// return short reads before the end); a sysfs file's reads end below a page whatever it says.
    public func string(atPath path: String, maximumBytes: Int = .max, endingBelow: Int = 0) throws(FileReadError) -> String {
        if let kept = checkOut(path) {
            let result = Result { () throws(FileReadError) in
                try FileReading.string(readingFromStart: kept.descriptor, path: path, maximumBytes: maximumBytes, endingBelow: kept.endingBelow)
            }
            if case .failure(let error) = result, Self.isGone(error.errno) {
                // What a fresh open says is the answer.
                close(kept.descriptor)
            } else {
                if !checkIn(path, kept, new: false) { close(kept.descriptor) }
                return try result.get()
            }
        }
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        if descriptor < 0 { throw FileReadError(path: path, errno: errno) }
        let type = scalewatch_file_system_type(descriptor)
        let endingBelow = type == Self.sysfsMagic ? FileReading.smallestPage : Self.isPseudoFile(type: type) ? endingBelow : 0
        let result = Result { () throws(FileReadError) in
            try FileReading.string(readingUntilEnd: descriptor, path: path, maximumBytes: maximumBytes, endingBelow: endingBelow)
        }
        // A file that refuses reads (a link's `speed` while it is down: EINVAL) is kept too:
        // the next read from offset 0 asks the kernel again.
        let keep: Bool
        if case .failure(let error) = result, Self.isGone(error.errno) {
            keep = false
        } else {
            keep = Self.isPseudoFile(type: type) && checkIn(path, Entry(descriptor: descriptor, lastRound: 0, endingBelow: endingBelow), new: true)
        }
        if !keep { close(descriptor) }
        return try result.get()
    }

    /// The errors of a descriptor whose object is gone (a process reaped, a device or cgroup
    /// removed): the path, opened afresh, may name a new one.
    static func isGone(_ code: Int32) -> Bool {
        code == ESRCH || code == ENODEV || code == ENOENT || code == ENXIO
    }

    /// Closes the kept descriptors of every path that starts with `prefix`.
    public func forget(prefix: String) {
        let closing = state.withLock { state in
            let matching = state.idle.filter { $0.key.hasPrefix(prefix) }
            for path in matching.keys { state.idle[path] = nil }
            return matching.values.map(\.descriptor)
        }
        for descriptor in closing { close(descriptor) }
    }

    /// Ends a collection: descriptors not read in the last `idleRounds` collections (a process
    /// that left the top, an interface removed) are closed.
    public func endRound() {
        let closing = state.withLock { state -> [Int32] in
            state.round += 1
            guard state.round > idleRounds else { return [] }
            let oldest = state.round - idleRounds
            let stale = state.idle.filter { $0.value.lastRound < oldest }
            for path in stale.keys { state.idle[path] = nil }
            return stale.values.map(\.descriptor)
        }
        for descriptor in closing { close(descriptor) }
    }

    /// How many descriptors are kept now.
    public var count: Int { state.withLock { $0.idle.count } }

    private func checkOut(_ path: String) -> Entry? {
        state.withLock { $0.idle.removeValue(forKey: path) }
    }

    /// At most this many descriptors kept from now on; those beyond it are closed.
    public func setDescriptorBudget(_ budget: Int) {
        let closing = state.withLock { state -> [Int32] in
            state.budget = budget
            let excess = state.idle.count - min(capacity, budget)
            guard excess > 0 else { return [] }
            let dropped = state.idle.sorted { $0.value.lastRound < $1.value.lastRound }.prefix(excess)
            for (path, _) in dropped { state.idle[path] = nil }
            return dropped.map(\.value.descriptor)
        }
        for descriptor in closing { close(descriptor) }
    }

    /// Keeps `entry`'s descriptor for `path`; false when it is not kept (the caller closes it):
    /// another reader already returned one for the path, or a `new` one (not checked out)
    /// would go beyond the capacity or the budget.
    private func checkIn(_ path: String, _ entry: Entry, new: Bool) -> Bool {
        state.withLock { state in
            if state.idle[path] != nil { return false }
            if new && state.idle.count >= min(capacity, state.budget) { return false }
            var entry = entry
            entry.lastRound = state.round
            state.idle[path] = entry
            return true
        }
    }

    /// procfs, sysfs and both cgroup file systems (their magic numbers): their files are
    /// generated on each read.
    private static func isPseudoFile(type: Int) -> Bool {
        switch type {
        case procfsMagic, sysfsMagic, 0x6367_7270, 0x0027_e0eb: return true
        default: return false
        }
    }

    static func isProcfs(_ descriptor: Int32) -> Bool {
        scalewatch_file_system_type(descriptor) == procfsMagic
    }

    private static let procfsMagic = 0x9fa0
    private static let sysfsMagic = 0x6265_6572

    private static func softFileLimit() -> Int {
        var limit = rlimit()
        guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0 else { return 1024 }
        return Int(clamping: limit.rlim_cur)
    }
}
