/// What `top_processes` learnt about each /proc entry's memory, so that most entries cost no
/// read at all. On a typical host most of /proc is kernel threads: they have no address space
/// (statm reads all zeros) and never will, yet reading their statm at every collection was most
/// of the collector's cost. A process with an address space keeps it until it exits, so its
/// statm need not be read again either: its stat, read anyway, carries the resident pages.
///
/// An entry is keyed by pid and the inode number of its /proc directory: a pid reused by a new
/// process lists another inode and is read afresh. A process without an address space is
/// looked at again after `recheckAfter`, since on kernels before 5.19 a usermode helper starts
/// as a kernel thread and only then executes its program.
struct ProcessKindCache {
    enum Kind: Equatable {
        /// No address space (a kernel thread, or a zombie): skipped.
        case memoryless
        /// Has an address space: read from stat alone.
        case withMemory
    }

    private struct Entry {
        let inode: UInt64
        let kind: Kind
        let checkedAt: Duration
    }

    static let recheckAfter: Duration = .seconds(60)
    private var entries: [Int: Entry] = [:]

    var count: Int { entries.count }

    /// The kind known for this process, if it is still the same process and the knowledge fresh.
    func kind(pid: Int, inode: UInt64, now: Duration) -> Kind? {
        guard let entry = entries[pid], entry.inode == inode else { return nil }
        if entry.kind == .memoryless && now - entry.checkedAt >= Self.recheckAfter { return nil }
        return entry.kind
    }

    mutating func store(pid: Int, inode: UInt64, kind: Kind, now: Duration) {
        entries[pid] = Entry(inode: inode, kind: kind, checkedAt: now)
    }

    /// Forgets processes no longer listed, so the cache is bounded by the process table.
    mutating func keep(only pids: Set<Int>) {
        if entries.count > pids.count || entries.keys.contains(where: { !pids.contains($0) }) {
            entries = entries.filter { pids.contains($0.key) }
        }
    }
}
