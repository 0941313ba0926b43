/// PostgreSQL's own log lines that mark the database hitting a wall, whatever the
/// `log_line_prefix` in front: `2024-05-01 10:00:00.123 UTC [4711] app@db FATAL:  sorry, too many
/// clients already`. The severity (`LOG`, `WARNING`, `ERROR`, `FATAL`, `PANIC`) is always followed by
/// a colon and two spaces, and the phrase must start right there: a statement or DETAIL that
/// merely quotes the phrase does not count. Only English messages (`lc_messages = C` or `en_*`,
/// Debian's default) are recognised. Log files may also be csvlog or jsonlog
/// (`PostgresLogMessage+FileFormats.swift`).
enum PostgresLogMessage {
    /// The `kind` label of `scalewatch_postgres_log_errors_total`. Raw values are exported: never
    /// change them.
    enum Kind: String, CaseIterable, Sendable, Comparable {
        /// `FATAL:  sorry, too many clients already`: max_connections reached.
        case tooManyClients = "too_many_clients"
        /// `FATAL:  remaining connection slots are reserved for …`: only reserved slots are left.
        case reservedConnectionSlots = "reserved_connection_slots"
        /// `ERROR:  deadlock detected`.
        case deadlock = "deadlock"
        /// `WARNING:  terminating connection because of crash of another server process`: the
        /// postmaster is resetting after a backend crashed (often: OOM-killed).
        case crashOfAnotherProcess = "crash_of_another_process"
        /// `LOG:  server process (PID 123) was terminated by signal 9: Killed` (PostgreSQL 14+:
        /// `client backend (PID 123) …`): the crash itself.
        case terminatedBySignal = "terminated_by_signal"
        /// `LOG:  could not fork new process for connection: …` and the other `could not fork` forms.
        case couldNotFork = "could_not_fork"
        /// `ERROR:  out of memory`.
        case outOfMemory = "out_of_memory"
        /// `ERROR:  canceling statement due to statement timeout`.
        case statementTimeout = "statement_timeout"
        /// `ERROR:  canceling statement due to lock timeout`.
        case lockTimeout = "lock_timeout"

        static func < (lhs: Kind, rhs: Kind) -> Bool { lhs.rawValue < rhs.rawValue }
    }

    static let severities = ["LOG", "WARNING", "ERROR", "FATAL", "PANIC"]

    private static let phrases: [(String, Kind)] = [
        ("sorry, too many clients already", .tooManyClients),
        ("remaining connection slots are reserved", .reservedConnectionSlots),
        ("deadlock detected", .deadlock),
        ("terminating connection because of crash of another server process", .crashOfAnotherProcess),
        ("could not fork", .couldNotFork),
        ("out of memory", .outOfMemory),
        ("canceling statement due to statement timeout", .statementTimeout),
        ("canceling statement due to lock timeout", .lockTimeout),
    ]

    static func classify(_ line: String) -> Kind? {
        classify(line[...])
    }

    static func classify(_ line: Substring) -> Kind? {
        var from = line.startIndex
        // The first `SEVERITY:  ` is the message's own; a later one would be quoted text.
        while let marker = LogText.find(":  ", in: line, from: from) {
            let word = line[..<marker.lowerBound].reversed().prefix { $0 >= "A" && $0 <= "Z" }
            if severities.contains(String(word.reversed())) {
                return kind(of: line[marker.upperBound...])
            }
            from = marker.upperBound
        }
        return nil
    }

    static func kind(of message: Substring) -> Kind? {
        for (phrase, kind) in phrases where LogText.hasPrefix(message, phrase) {
            return kind
        }
        // "server process (PID 123) was terminated by signal 9: Killed", or from 14 on the
        // backend type: "client backend (PID 123) …", "autovacuum worker (PID 123) …".
        if let pid = LogText.find(" (PID ", in: message),
            let (_, rest) = LogText.leadingInteger(message[pid.upperBound...]),
            LogText.hasPrefix(rest, ") was terminated by signal ")
        {
            return .terminatedBySignal
        }
        return nil
    }
}
