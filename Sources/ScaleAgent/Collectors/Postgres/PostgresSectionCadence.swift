/// How often each section is read. What moves between two collections and is alerted on —
/// connections, locks, replication, prepared transactions, the WAL position — every refresh;
/// the statistics counters, which are looked at as rates over minutes, every half
/// `slow_interval`; what is expensive to read and changes slowly (database sizes stat every
/// file, the largest tables need a sort, frozen-XID ages) every `slow_interval`;
/// pg_stat_statements once per `statements_window`, against the previous read (the server builds
/// every entry's row to answer, 4–10 ms for 2,000 statements whatever is asked of it: with reads
/// every half window it was the largest part of what the agent cost the server).
/// `section_intervals` overrides any of them. Between two reads a section's last result is served.
struct PostgresSectionCadence: Sendable, Equatable {
    enum Class: Sendable, Equatable {
        case everyRefresh
        case counters
        case slow
        case statements
    }

    private var intervals: [PostgresSection: Duration]

    init(_ target: PostgresTarget) {
        var intervals: [PostgresSection: Duration] = [:]
        for section in PostgresSection.allCases {
            let standard: Duration =
                switch Self.defaultClass(section) {
                case .everyRefresh: .zero
                case .counters: target.slowInterval / 2
                case .slow: target.slowInterval
                case .statements: target.statementsWindow
                }
            intervals[section] = target.sectionIntervals[section] ?? standard
        }
        self.intervals = intervals
    }

    static func defaultClass(_ section: PostgresSection) -> Class {
        switch section {
        case .activity, .activitySummary, .waitEvents, .applications, .locks, .lockWaits, .blocking, .wal, .replication,
            .replicationSlots, .standby, .preparedXacts:
            .everyRefresh
        case .database, .databaseConflicts, .bgwriter, .checkpointer, .archiver: .counters
        case .databaseAge, .databaseSize, .tables: .slow
        case .statements: .statements
        }
    }

    func interval(_ section: PostgresSection) -> Duration { intervals[section] ?? .zero }

    /// Whether a section last read successfully at `lastSuccess` is read again at `now`. A
    /// section never read, or whose last read failed, is due. Collections start a few
    /// milliseconds early or late: within `tolerance` of its interval a section is due, so a
    /// 30 s section read at every third 10 s collection is not put off to the fourth.
    func isDue(_ section: PostgresSection, lastSuccess: ContinuousClock.Instant?, now: ContinuousClock.Instant) -> Bool {
        guard let lastSuccess else { return true }
        return now - lastSuccess + Self.tolerance >= interval(section)
    }

    static let tolerance: Duration = .milliseconds(500)
}
