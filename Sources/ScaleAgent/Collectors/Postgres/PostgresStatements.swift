/// pg_stat_statements ranked by what changed over the last window — the hot query now, not
/// the historically heaviest (see `PostgresStatementsWindow`): what the ranked statements are
/// called, how they are rendered and the SQL that reads them.
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

/// The statements part of one refresh, as the monitor keeps it between refreshes.
struct PostgresStatementsResult: Sendable {
    var entries: Int
    var window: Double
    var ranked: [Ranked]
    var labels: [PostgresStatementKey: PostgresStatementLabels]

    struct Ranked: Sendable, Equatable {
        var key: PostgresStatementKey
        var rate: PostgresStatementRate
        var totals: PostgresStatementCounters
    }

    func render(into m: inout PostgresMetrics) {
        m.gauge("pg_stat_statements_entries", "Statements pg_stat_statements currently tracks (bounded by pg_stat_statements.max).", Double(entries))
        m.gauge("pg_stat_statements_window_seconds", "The window the top statements' rates are measured over.", window)
        for entry in ranked {
            let (key, rate, totals) = (entry.key, entry.rate, entry.totals)
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

/// The two queries: the changes against the window's baseline, ranked (the texts are not
/// read: `pg_stat_statements(false)` leaves the query-text file alone), then names and texts
/// for the ranked few not yet known.
enum PostgresStatementsSQL {
    /// Against the baseline sent as five arrays ($1 queryid, $2 dbid, $3 userid, $4 calls,
    /// $5 seconds; position = index + 1): one row per statement that is new or moved (kind 1,
    /// `top` when it is among the `top` largest changes of execution time or of calls), one per
    /// baseline position that is gone (kind 2), and the number tracked (kind 3, in `position`).
    static func changes(_ statements: PostgresServerInfo.Statements, top: Int) -> String {
        PostgresSectionBatch.compact(
            """
        WITH b AS (
          SELECT * FROM unnest($1::int8[], $2::int8[], $3::int8[], $4::int8[], $5::float8[]) WITH ORDINALITY
            AS b(queryid, dbid, userid, calls, seconds, position)
        ), c AS (
          SELECT queryid, dbid::int8 AS dbid, userid::int8 AS userid, sum(calls)::int8 AS calls,
            (sum(\(statements.execTimeColumn)) / 1000)::float8 AS seconds
          FROM \(quoted(statements.schema)).pg_stat_statements(false) WHERE queryid IS NOT NULL GROUP BY 1, 2, 3
        ), d AS (
          SELECT c.queryid, c.dbid, c.userid, c.calls, c.seconds, b.position,
            CASE WHEN b.calls <= c.calls AND b.seconds <= c.seconds THEN c.calls - b.calls ELSE c.calls END AS dcalls,
            CASE WHEN b.calls <= c.calls AND b.seconds <= c.seconds THEN c.seconds - b.seconds ELSE c.seconds END AS dseconds
          FROM c LEFT JOIN b USING (queryid, dbid, userid)
          WHERE b.position IS NULL OR c.calls <> b.calls OR c.seconds <> b.seconds
        )
        SELECT 1::int8 AS kind, position, queryid, dbid, userid, calls, seconds,
          (dcalls > 0 OR dseconds > 0)
            AND (row_number() OVER (ORDER BY dseconds DESC, queryid, dbid, userid) <= \(top)
              OR row_number() OVER (ORDER BY dcalls DESC, queryid, dbid, userid) <= \(top)) AS top
        FROM d
        UNION ALL
        SELECT 2, b.position, NULL, NULL, NULL, NULL, NULL, NULL FROM b
        WHERE NOT EXISTS (SELECT 1 FROM c WHERE c.queryid = b.queryid AND c.dbid = b.dbid AND c.userid = b.userid)
        UNION ALL
        SELECT 3, count(*), NULL, NULL, NULL, NULL, NULL, NULL FROM c
        """)
    }

    /// Names and texts of the statements whose query IDs are bound as `$1` (an int8 array).
    /// A bound array, not an `IN` list written into the text: pg_stat_statements keys an `IN`
    /// list by its length, so each fetch of a different number of statements was a statement new
    /// to the server, which the next read ranked (reading every text costs milliseconds) and
    /// fetched labels for — a monitor that kept feeding its own ranking.
    static func labels(_ statements: PostgresServerInfo.Statements, textLength: Int) -> String {
        PostgresSectionBatch.compact(
            """
        SELECT s.queryid::text AS queryid, s.dbid::int8::text AS dbid, s.userid::int8::text AS userid,
          COALESCE(d.datname::text, '') AS datname, COALESCE(r.rolname::text, '') AS user,
          left(regexp_replace(s.query, '\\s+', ' ', 'g'), \(textLength)) AS query
        FROM \(quoted(statements.schema)).pg_stat_statements(true) s
        LEFT JOIN pg_database d ON d.oid = s.dbid LEFT JOIN pg_roles r ON r.oid = s.userid
        WHERE s.queryid = ANY($1::int8[])
        """)
    }

    /// The query IDs of `keys`, once each, for `labels`' `$1`.
    static func labelsQueryIDs(_ keys: [PostgresStatementKey]) -> [Int64] {
        Set(keys.map(\.queryID)).sorted()
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
