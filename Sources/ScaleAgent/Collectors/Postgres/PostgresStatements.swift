/// pg_stat_statements ranked by what changed over the last window — the hot query now, not
/// the historically heaviest. Pure: the monitor feeds it the counters it read and renders
/// what it ranks.
struct PostgresStatementKey: Hashable, Sendable, Comparable {
    var queryID: Int64
    var databaseID: Int64
    var userID: Int64

    static func < (lhs: Self, rhs: Self) -> Bool {
        (lhs.queryID, lhs.databaseID, lhs.userID) < (rhs.queryID, rhs.databaseID, rhs.userID)
    }
}

struct PostgresStatementCounters: Sendable, Equatable {
    var calls: Double
    /// Total execution time in seconds (pg_stat_statements reports milliseconds).
    var execSeconds: Double
}

struct PostgresStatementRate: Sendable, Equatable {
    var callsPerSecond: Double
    var execSecondsPerSecond: Double
}

/// What a statement is called in the metrics; looked up only for the ranked few.
struct PostgresStatementLabels: Sendable, Equatable {
    var datname: String
    var user: String
    var query: String
}

struct PostgresStatementHistory: Sendable {
    /// Seconds: rates are taken against the newest snapshot at least this old.
    let window: Double
    private(set) var snapshots: [(time: Double, counters: [PostgresStatementKey: PostgresStatementCounters])] = []

    init(window: Double) {
        self.window = window
    }

    /// Rates since the baseline — the newest kept snapshot at least `window` old, else the oldest
    /// (shortly after start the window is shorter) — then keeps `current` as a future baseline
    /// if the last one kept is half a window old. At most three snapshots are kept.
    mutating func advance(
        to current: [PostgresStatementKey: PostgresStatementCounters], at time: Double
    ) -> (elapsed: Double, rates: [PostgresStatementKey: PostgresStatementRate])? {
        var result: (Double, [PostgresStatementKey: PostgresStatementRate])?
        if let baseline = snapshots.last(where: { $0.time <= time - window }) ?? snapshots.first, time > baseline.time {
            let elapsed = time - baseline.time
            result = (elapsed, Self.rates(from: baseline.counters, to: current, elapsed: elapsed))
        }
        if let last = snapshots.last, time < last.time {
            snapshots.removeAll()  // the clock went back: start over
        }
        if snapshots.isEmpty || time - snapshots[snapshots.count - 1].time >= window / 2 {
            snapshots.append((time, current))
        }
        // Drop every snapshot older than the newest one that is already a full window old.
        if let keep = snapshots.lastIndex(where: { $0.time <= time - window }), keep > 0 {
            snapshots.removeFirst(keep)
        }
        return result
    }

    /// Per-second change of each statement that moved. A statement missing from the baseline
    /// is new (or was evicted and came back): all its counts fall in the window. Counts that went
    /// down mean a reset: the current counts are the change.
    static func rates(
        from baseline: [PostgresStatementKey: PostgresStatementCounters],
        to current: [PostgresStatementKey: PostgresStatementCounters], elapsed: Double
    ) -> [PostgresStatementKey: PostgresStatementRate] {
        var rates: [PostgresStatementKey: PostgresStatementRate] = [:]
        for (key, now) in current {
            var calls = now.calls
            var exec = now.execSeconds
            if let before = baseline[key], before.calls <= now.calls, before.execSeconds <= now.execSeconds {
                calls -= before.calls
                exec -= before.execSeconds
            }
            guard calls > 0 || exec > 0 else { continue }
            rates[key] = PostgresStatementRate(callsPerSecond: calls / elapsed, execSecondsPerSecond: exec / elapsed)
        }
        return rates
    }

    /// The top `k` by execution time per second and the top `k` by calls per second, together
    /// (at most 2k statements), hottest by execution time first.
    static func top(_ rates: [PostgresStatementKey: PostgresStatementRate], k: Int) -> [PostgresStatementKey] {
        guard k > 0 else { return [] }
        let byExec = rates.sorted {
            $0.value.execSecondsPerSecond != $1.value.execSecondsPerSecond
                ? $0.value.execSecondsPerSecond > $1.value.execSecondsPerSecond : $0.key < $1.key
        }.prefix(k).map(\.key)
        let byCalls = rates.sorted {
            $0.value.callsPerSecond != $1.value.callsPerSecond ? $0.value.callsPerSecond > $1.value.callsPerSecond : $0.key < $1.key
        }.prefix(k).map(\.key)
        var seen = Set(byExec)
        return byExec + byCalls.filter { seen.insert($0).inserted }
    }
}

/// The statements part of one refresh, as the monitor keeps it between refreshes.
struct PostgresStatementsResult: Sendable {
    var entries: Int
    var window: Double
    var ranked: [(key: PostgresStatementKey, rate: PostgresStatementRate, totals: PostgresStatementCounters)]
    var labels: [PostgresStatementKey: PostgresStatementLabels]

    func render(into m: inout PostgresMetrics) {
        m.gauge("pg_stat_statements_entries", "Statements pg_stat_statements currently tracks (bounded by pg_stat_statements.max).", Double(entries))
        m.gauge("pg_stat_statements_window_seconds", "The window the top statements' rates are measured over.", window)
        for (key, rate, totals) in ranked {
            let names = labels[key] ?? PostgresStatementLabels(datname: "", user: "", query: "")
            let identity = [("datname", names.datname), ("user", names.user), ("queryid", String(key.queryID))]
            let withText = identity + [("query", names.query)]
            m.gauge(
                "pg_stat_statements_top_calls_per_second",
                "Calls per second over the window, for the statements that changed most (top K by calls and by execution time).",
                rate.callsPerSecond, withText)
            m.gauge(
                "pg_stat_statements_top_exec_seconds_per_second",
                "Execution seconds per second over the window (how many backends it keeps busy), for the statements that changed most.",
                rate.execSecondsPerSecond, withText)
            m.counter("pg_stat_statements_calls_total", "Number of times executed (top statements only).", totals.calls, identity)
            m.counter(
                "pg_stat_statements_seconds_total", "Total time spent in the statement, in seconds (top statements only).",
                totals.execSeconds, identity)
        }
    }
}

/// The two queries: all counters without the texts (`pg_stat_statements(false)` does not read
/// the query-text file), then names and texts for the ranked few not yet known.
enum PostgresStatementsSQL {
    static func counters(_ statements: PostgresServerInfo.Statements) -> String {
        """
        SELECT queryid, dbid::int8, userid::int8, sum(calls)::int8, (sum(\(statements.execTimeColumn)) / 1000)::float8
        FROM \(quoted(statements.schema)).pg_stat_statements(false) WHERE queryid IS NOT NULL GROUP BY 1, 2, 3
        """
    }

    static func labels(
        _ statements: PostgresServerInfo.Statements, keys: [PostgresStatementKey], textLength: Int
    ) -> String {
        // Integers only: nothing from outside reaches the SQL text.
        let ids = Set(keys.map(\.queryID)).sorted().map(String.init).joined(separator: ", ")
        return """
            SELECT s.queryid::text AS queryid, s.dbid::int8::text AS dbid, s.userid::int8::text AS userid,
              COALESCE(d.datname::text, '') AS datname, COALESCE(r.rolname::text, '') AS user,
              left(regexp_replace(s.query, '\\s+', ' ', 'g'), \(textLength)) AS query
            FROM \(quoted(statements.schema)).pg_stat_statements(true) s
            LEFT JOIN pg_database d ON d.oid = s.dbid LEFT JOIN pg_roles r ON r.oid = s.userid
            WHERE s.queryid IN (\(ids))
            """
    }

    static func quoted(_ identifier: String) -> String {
        "\"" + identifier.replacing("\"", with: "\"\"") + "\""
    }

    static func parseLabels(_ table: PostgresTable, textLength: Int) -> [PostgresStatementKey: PostgresStatementLabels] {
        var labels: [PostgresStatementKey: PostgresStatementLabels] = [:]
        for row in table.records {
            guard let query = row["queryid"].flatMap({ Int64($0) }), let db = row["dbid"].flatMap({ Int64($0) }),
                let user = row["userid"].flatMap({ Int64($0) })
            else { continue }
            let key = PostgresStatementKey(queryID: query, databaseID: db, userID: user)
            if labels[key] != nil { continue }  // top-level and nested rows of one statement
            labels[key] = PostgresStatementLabels(
                datname: row.label("datname"), user: row.label("user"), query: String(row.label("query").prefix(textLength)))
        }
        return labels
    }
}
