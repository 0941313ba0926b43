/// The systemd unit of each process `top_processes` saw, so that /proc/PID/cgroup is read
/// when a process is new rather than at every collection: reading it was a third of the
/// collector's cost, and a process almost never changes unit. "Almost": a process can be
/// moved (a PAM session into its scope, `systemd-run --scope`, a memory group by hand), so an
/// entry is read again once it is `maxAge` old. A pid reused by a new process (another start
/// time) is a new entry.
struct ProcessUnitCache {
    struct Entry {
        let startTicks: UInt64
        let unit: String?
        let readAt: Duration
    }

    static let maxAge: Duration = .seconds(60)
    private var entries: [Int: Entry] = [:]

    var count: Int { entries.count }

    /// The unit cached for this process, if fresh.
    func unit(pid: Int, startTicks: UInt64, now: Duration) -> String?? {
        guard let entry = entries[pid], entry.startTicks == startTicks, now - entry.readAt < Self.maxAge else { return nil }
        return .some(entry.unit)
    }

    mutating func store(pid: Int, startTicks: UInt64, unit: String?, now: Duration) {
        entries[pid] = Entry(startTicks: startTicks, unit: unit, readAt: now)
    }

    /// Forgets processes no longer running, so the cache is bounded by the process table.
    mutating func keep(only pids: Set<Int>) {
        entries = entries.filter { pids.contains($0.key) }
    }
}
