/// The processes of one command in one systemd unit, taken together: what `top_processes`
/// reports instead of single processes, so that a worker pool whose pids come and go
/// (PHP-FPM, Postgres backends, cron jobs) is one series, not one per pid.
struct ProcessGroup: Equatable {
    struct Key: Hashable {
        var comm: String
        /// nil outside any unit (a kernel thread's parent, a container manager's groups).
        var unit: String?
    }

    var key: Key
    var residentBytes: UInt64 = 0
    var count = 0
    /// The group's largest process now, and its size: a pid kept as a value, not a label.
    var largestPID = 0
    var largestResidentBytes: UInt64 = 0

    struct Process: Equatable {
        var pid: Int
        var residentBytes: UInt64
        var comm: String
        var unit: String?
        var cpuTicks: UInt64 = 0
        var startTicks: UInt64 = 0
    }

    /// The groups the processes form, largest total first; ties by command, then unit, so
    /// that the order is stable. Within a group the largest process wins, ties to the lower pid.
    static func rank(_ processes: [Process]) -> [ProcessGroup] {
        var groups: [Key: ProcessGroup] = [:]
        for process in processes {
            let key = Key(comm: process.comm, unit: process.unit)
            var group = groups[key] ?? ProcessGroup(key: key)
            group.residentBytes &+= process.residentBytes
            group.count += 1
            if group.count == 1 || process.residentBytes > group.largestResidentBytes
                || (process.residentBytes == group.largestResidentBytes && process.pid < group.largestPID)
            {
                group.largestPID = process.pid
                group.largestResidentBytes = process.residentBytes
            }
            groups[key] = group
        }
        return groups.values.sorted { lhs, rhs in
            if lhs.residentBytes != rhs.residentBytes { return lhs.residentBytes > rhs.residentBytes }
            if lhs.key.comm != rhs.key.comm { return lhs.key.comm < rhs.key.comm }
            return (lhs.key.unit ?? "") < (rhs.key.unit ?? "")
        }
    }
}
