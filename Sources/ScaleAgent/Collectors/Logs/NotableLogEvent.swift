/// A log event worth naming in an alert or in `scalewatch advise`: an OOM kill with its
/// victim, a unit failure, a PostgreSQL error. The collectors keep the last few.
public struct NotableLogEvent: Sendable, Equatable {
    public enum Kind: String, Sendable {
        case oomKill = "oom_kill"
        case unitFailure = "unit_failure"
        case postgresError = "postgres_error"
    }

    /// Seconds since the epoch, from the log entry.
    public var time: Double
    public var kind: Kind
    /// One line for a person: "the kernel OOM killer killed postgres (pid 4711, RSS 3.4 GiB) in
    /// /system.slice/postgresql@15-main.service".
    public var summary: String
    /// The parts, for programs: pid, process, cgroup, unit, rss_bytes, killer, result, exit, kind, source.
    public var details: [String: String]

    public init(time: Double, kind: Kind, summary: String, details: [String: String]) {
        self.time = time
        self.kind = kind
        self.summary = summary
        self.details = details
    }
}

/// The victim of the most recent OOM kill.
struct OOMVictim: Sendable, Equatable {
    var pid: Int?
    var process: String
    var cgroup: String?
    var rssBytes: UInt64?
    var time: Double
    /// `kernel` or `systemd-oomd`.
    var killer: String
}

/// The last `capacity` notable events, oldest first.
struct RecentEvents: Sendable, Equatable {
    let capacity: Int
    private var ring: [NotableLogEvent] = []
    private var next = 0

    init(capacity: Int) { self.capacity = max(1, capacity) }

    mutating func append(_ event: NotableLogEvent) {
        if ring.count < capacity {
            ring.append(event)
        } else {
            ring[next] = event
            next = (next + 1) % capacity
        }
    }

    var events: [NotableLogEvent] { Array(ring[next...] + ring[..<next]) }
}
