/// What each integration of each receiver was last told about each aggregation group: the
/// fingerprints that were firing and resolved, and when. Alertmanager's notification log, and
/// what makes "notified once" hold across group flushes and restarts (the agent persists it).
public struct NotificationLog: Sendable, Equatable {
    public struct Entry: Sendable, Equatable {
        public var firing: Set<AlertFingerprint>
        public var resolved: Set<AlertFingerprint>
        /// Unix milliseconds.
        public var sentAt: Int64

        public init(firing: Set<AlertFingerprint>, resolved: Set<AlertFingerprint>, sentAt: Int64) {
            self.firing = firing
            self.resolved = resolved
            self.sentAt = sentAt
        }
    }

    /// Alertmanager keeps its log this long; an entry older than every repeat interval only
    /// costs memory.
    public static let retention: Int64 = 120 * 3_600_000

    public var entries: [String: Entry] = [:]

    public init(entries: [String: Entry] = [:]) {
        self.entries = entries
    }

    public static func key(receiver: String, integration: Int, groupKey: String) -> String {
        "\(receiver)/webhook/\(integration):\(groupKey)"
    }

    /// Alertmanager's rule: notify when an alert fires that was not in the last notification,
    /// when everything resolved after something was notified firing, when (with send_resolved)
    /// an alert resolved that was not notified resolved, or when the repeat interval has passed.
    public func needsUpdate(
        _ key: String, firing: Set<AlertFingerprint>, resolved: Set<AlertFingerprint>, sendResolved: Bool,
        repeatInterval: Int64, now: Int64
    ) -> Bool {
        guard let entry = entries[key] else { return !firing.isEmpty }
        if !firing.isSubset(of: entry.firing) { return true }
        if firing.isEmpty { return !entry.firing.isEmpty }
        if sendResolved && !resolved.isSubset(of: entry.resolved) { return true }
        return entry.sentAt < now - repeatInterval
    }

    /// Whether some integration was last told that this alert fires. After a restart the
    /// dispatcher knows no alert; one that resolved while the agent was down still owes its
    /// resolution, and until it is sent the log would take the next firing for the old one.
    public func lastToldFiring(_ fingerprint: AlertFingerprint) -> Bool {
        entries.values.contains { $0.firing.contains(fingerprint) }
    }

    public mutating func record(_ key: String, firing: Set<AlertFingerprint>, resolved: Set<AlertFingerprint>, at now: Int64) {
        entries[key] = Entry(firing: firing, resolved: resolved, sentAt: now)
    }

    public mutating func prune(now: Int64) {
        entries = entries.filter { $0.value.sentAt >= now - Self.retention }
    }
}
