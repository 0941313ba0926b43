import MetricStore
import Testing

@testable import ScaleAgent

/// pg_stat_statements ranked by change over the window, not by totals.
@Suite struct PostgresStatementsTests {
    typealias Key = PostgresStatementKey
    typealias Counters = PostgresStatementCounters

    static let heavy = Key(queryID: 1, databaseID: 5, userID: 10)  // historically the heaviest
    static let hot = Key(queryID: 2, databaseID: 5, userID: 10)  // the one running now
    static let idle = Key(queryID: 3, databaseID: 5, userID: 10)

    @Test func theHotQueryNowOutranksTheHistoricallyHeaviest() throws {
        var history = PostgresStatementHistory(window: 60)
        let start: [Key: Counters] = [
            Self.heavy: .init(calls: 1_000_000, execSeconds: 50_000), Self.hot: .init(calls: 10, execSeconds: 1),
            Self.idle: .init(calls: 5, execSeconds: 0.5),
        ]
        let first = history.advance(to: start, at: 0)
        #expect(first.map(\.elapsed) == nil)  // no baseline yet
        let later: [Key: Counters] = [
            Self.heavy: .init(calls: 1_000_060, execSeconds: 50_001), Self.hot: .init(calls: 6_010, execSeconds: 31),
            Self.idle: .init(calls: 5, execSeconds: 0.5),
        ]
        let advanced = history.advance(to: later, at: 60)
        let (elapsed, rates) = try #require(advanced)
        #expect(elapsed == 60)
        #expect(rates[Self.hot] == PostgresStatementRate(callsPerSecond: 100, execSecondsPerSecond: 0.5))
        #expect(rates[Self.heavy] == PostgresStatementRate(callsPerSecond: 1, execSecondsPerSecond: 1.0 / 60))
        #expect(rates[Self.idle] == nil)  // unchanged statements are not ranked at all
        #expect(PostgresStatementHistory.top(rates, k: 1) == [Self.hot])
        #expect(PostgresStatementHistory.top(rates, k: 10) == [Self.hot, Self.heavy])
        #expect(PostgresStatementHistory.top(rates, k: 0) == [])
    }

    @Test func topKIsTheUnionOfBothRankings() {
        let slow = Key(queryID: 7, databaseID: 1, userID: 1)
        let chatty = Key(queryID: 8, databaseID: 1, userID: 1)
        let rates: [Key: PostgresStatementRate] = [
            slow: .init(callsPerSecond: 0.1, execSecondsPerSecond: 2), chatty: .init(callsPerSecond: 500, execSecondsPerSecond: 0.2),
            Self.idle: .init(callsPerSecond: 1, execSecondsPerSecond: 0.01),
        ]
        #expect(PostgresStatementHistory.top(rates, k: 1) == [slow, chatty])
    }

    @Test func newStatementsAndResetsCountFromZero() {
        let baseline: [Key: Counters] = [Self.heavy: .init(calls: 500, execSeconds: 10)]
        let current: [Key: Counters] = [
            Self.heavy: .init(calls: 20, execSeconds: 1),  // pg_stat_statements_reset() in between
            Self.hot: .init(calls: 30, execSeconds: 3),  // appeared in the window
        ]
        let rates = PostgresStatementHistory.rates(from: baseline, to: current, elapsed: 10)
        #expect(rates[Self.heavy] == PostgresStatementRate(callsPerSecond: 2, execSecondsPerSecond: 0.1))
        #expect(rates[Self.hot] == PostgresStatementRate(callsPerSecond: 3, execSecondsPerSecond: 0.3))
    }

    @Test func theBaselineIsAWindowOldAndFewSnapshotsAreKept() {
        var history = PostgresStatementHistory(window: 60)
        func at(_ t: Double, calls: Double) -> Double? {
            history.advance(to: [Self.hot: .init(calls: calls, execSeconds: 0)], at: t)?.rates[Self.hot]?.callsPerSecond
        }
        _ = at(0, calls: 0)
        // Shortly after start the window is what there is.
        #expect(at(10, calls: 100) == 10)
        // Calls at 1/s from here on; a burst long ago must leave the window.
        var calls = 100.0
        var t = 10.0
        while t < 300 {
            t += 10
            calls += 10
            let rate = at(t, calls: calls)
            if t >= 100 { #expect(rate == 1) }
            #expect(history.snapshots.count <= 3)
        }
    }

    @Test func rendersBoundedSeriesWithTruncatedText() {
        let result = PostgresStatementsResult(
            entries: 42, window: 60,
            ranked: [(Self.hot, PostgresStatementRate(callsPerSecond: 100, execSecondsPerSecond: 0.5), Counters(calls: 6010, execSeconds: 31))],
            labels: [Self.hot: PostgresStatementLabels(datname: "app", user: "web", query: "SELECT * FROM accounts WHERE id = $1")])
        var m = PostgresMetrics(targetLabels: [Label("server", "s")])
        result.render(into: &m)
        let families = m.build()
        let calls = families.first { $0.name == "pg_stat_statements_top_calls_per_second" }?.samples.first
        #expect(calls?.value == 100)
        #expect(calls?.labels["queryid"] == "2" && calls?.labels["query"] == "SELECT * FROM accounts WHERE id = $1")
        #expect(families.first { $0.name == "pg_stat_statements_calls_total" }?.samples.first?.labels["query"] == nil)
        #expect(families.first { $0.name == "pg_stat_statements_seconds_total" }?.samples.first?.value == 31)
        #expect(families.first { $0.name == "pg_stat_statements_entries" }?.samples.first?.value == 42)

        let parsed = PostgresStatementsSQL.parseLabels(
            PostgresTable(
                columns: ["queryid", "dbid", "userid", "datname", "user", "query"],
                rows: [["2", "5", "10", "app", "web", "SELECT pg_sleep($1) FROM generate_series"], ["2", "5", "10", "app", "web", "dup"]]),
            textLength: 15)
        #expect(parsed == [Self.hot: PostgresStatementLabels(datname: "app", user: "web", query: "SELECT pg_sleep")])
    }

    @Test func sqlTakesOnlyIntegersAndQuotesTheSchema() {
        let installed = PostgresServerInfo.Statements(schema: "my \"ext\"", version: "1.10")
        let sql = PostgresStatementsSQL.labels(installed, keys: [Self.hot, Self.heavy, Self.hot], textLength: 80)
        #expect(sql.contains("\"my \"\"ext\"\"\".pg_stat_statements(true)"))
        #expect(sql.contains("IN (1, 2)"))
        #expect(PostgresStatementsSQL.counters(installed).contains("pg_stat_statements(false)"))
        #expect(PostgresStatementsSQL.counters(.init(schema: "public", version: "1.7")).contains("sum(total_time)"))
    }
}
