import MetricStore
import Testing

@testable import ScaleAgent

/// pg_stat_statements ranked by change over the window, not by totals; the server sends only what
/// moved since the baseline (modelled here by `answer`, the SQL's rules in Swift).
@Suite struct PostgresStatementsTests {
    typealias Key = PostgresStatementKey
    typealias Counters = PostgresStatementCounters

    static let heavy = Key(queryID: 1, databaseID: 5, userID: 10)  // historically the heaviest
    static let hot = Key(queryID: 2, databaseID: 5, userID: 10)  // the one running now
    static let idle = Key(queryID: 3, databaseID: 5, userID: 10)

    typealias Window = PostgresStatementsWindow
    static let t0 = ContinuousClock.now

    static func at(_ seconds: Double) -> ContinuousClock.Instant { t0 + .seconds(seconds) }

    /// What the server answers to `PostgresStatementsSQL.changes` — the same rules, in Swift.
    static func answer(_ current: [Key: Counters], against baseline: Window.Snapshot?, top: Int) -> [Window.Row] {
        var position: [Key: Int] = [:]
        for (index, key) in (baseline?.keys ?? []).enumerated() { position[key] = index + 1 }
        var moved: [(key: Key, position: Int?, calls: Int64, seconds: Double, delta: (calls: Double, seconds: Double))] = []
        for (key, now) in current.sorted(by: { $0.key < $1.key }) {
            let p = position[key]
            let before = p.map { (baseline!.calls[$0 - 1], baseline!.seconds[$0 - 1]) }
            if let before, before.0 == Int64(now.calls), before.1 == now.execSeconds { continue }
            moved.append((key, p, Int64(now.calls), now.execSeconds, Window.change(from: before, to: (Int64(now.calls), now.execSeconds))))
        }
        let byExec = moved.sorted { $0.delta.seconds != $1.delta.seconds ? $0.delta.seconds > $1.delta.seconds : $0.key < $1.key }.prefix(top).map(\.key)
        let byCalls = moved.sorted { $0.delta.calls != $1.delta.calls ? $0.delta.calls > $1.delta.calls : $0.key < $1.key }.prefix(top).map(\.key)
        var rows: [Window.Row] = moved.map { m in
            let ranked = (m.delta.calls > 0 || m.delta.seconds > 0) && (byExec.contains(m.key) || byCalls.contains(m.key))
            return .changed(position: m.position, key: m.key, calls: m.calls, seconds: m.seconds, top: ranked)
        }
        for (key, p) in position where current[key] == nil { rows.append(.gone(position: p)) }
        rows.append(.entries(current.count))
        return rows
    }

    /// One read: what the monitor does with the server's answer.
    static func read(_ window: inout Window, _ current: [Key: Counters], at t: Double, top: Int = 10)
        -> (entries: Int, elapsed: Double, ranked: [PostgresStatementsResult.Ranked])?
    {
        let baseline = window.baseline(at: at(t))
        return window.advance(answer(current, against: baseline, top: top), against: baseline, at: at(t))
    }

    @Test func theHotQueryNowOutranksTheHistoricallyHeaviest() throws {
        var window = Window(window: .seconds(60))
        let start: [Key: Counters] = [
            Self.heavy: .init(calls: 1_000_000, execSeconds: 50_000), Self.hot: .init(calls: 10, execSeconds: 1),
            Self.idle: .init(calls: 5, execSeconds: 0.5),
        ]
        #expect(Self.read(&window, start, at: 0) == nil)  // no baseline yet: the first read learns the counters
        let later: [Key: Counters] = [
            Self.heavy: .init(calls: 1_000_060, execSeconds: 50_001), Self.hot: .init(calls: 6_010, execSeconds: 31),
            Self.idle: .init(calls: 5, execSeconds: 0.5),
        ]
        let baseline = try #require(window.baseline(at: Self.at(60)))
        let rows = Self.answer(later, against: baseline, top: 1)
        #expect(!rows.contains { if case .changed(_, Self.idle, _, _, _) = $0 { true } else { false } })  // unchanged: not sent
        let advanced = window.advance(rows, against: baseline, at: Self.at(60))
        let (entries, elapsed, ranked) = try #require(advanced)
        #expect(entries == 3 && elapsed == 60)
        #expect(ranked.map(\.key) == [Self.hot])  // top 1 by time and by calls: the hot one both times
        #expect(ranked.first?.rate == PostgresStatementRate(callsPerSecond: 100, execSecondsPerSecond: 0.5))
        #expect(ranked.first?.totals == Counters(calls: 6_010, execSeconds: 31))
    }

    @Test func topKIsTheUnionOfBothRankingsInKeyOrder() throws {
        let slow = Key(queryID: 7, databaseID: 1, userID: 1)
        let chatty = Key(queryID: 8, databaseID: 1, userID: 1)
        var window = Window(window: .seconds(10))
        _ = Self.read(&window, [slow: .init(calls: 0, execSeconds: 0), chatty: .init(calls: 0, execSeconds: 0), Self.idle: .init(calls: 0, execSeconds: 0)], at: 0)
        let ranked = try #require(
            Self.read(
                &window, [slow: .init(calls: 1, execSeconds: 20), chatty: .init(calls: 5_000, execSeconds: 2), Self.idle: .init(calls: 10, execSeconds: 0.1)],
                at: 10, top: 1)
        ).ranked
        #expect(ranked.map(\.key) == [slow, chatty])
    }

    @Test func newStatementsAndResetsCountFromZero() {
        #expect(Window.change(from: (500, 10), to: (20, 1)) == (20, 1))  // pg_stat_statements_reset() in between
        #expect(Window.change(from: nil, to: (30, 3)) == (30, 3))  // appeared in the window
        #expect(Window.change(from: (10, 1), to: (30, 3)) == (20, 2))
    }

    @Test func theCurrentSnapshotIsRebuiltFromTheBaselineByPosition() {
        let a = Key(queryID: 1, databaseID: 1, userID: 1)
        let b = Key(queryID: 2, databaseID: 1, userID: 1)
        let c = Key(queryID: 3, databaseID: 1, userID: 1)
        let d = Key(queryID: 4, databaseID: 1, userID: 1)
        let baseline = Window.Snapshot(time: Self.at(0), keys: [a, b, c], calls: [1, 2, 3], seconds: [0.1, 0.2, 0.3])
        let rebuilt = Window.rebuild(
            baseline,
            with: [
                .changed(position: 3, key: c, calls: 30, seconds: 3, top: true), .gone(position: 1),
                .changed(position: nil, key: d, calls: 4, seconds: 0.4, top: false), .entries(3),
            ], at: Self.at(5))
        #expect(rebuilt == Window.Snapshot(time: Self.at(5), keys: [b, c, d], calls: [2, 30, 4], seconds: [0.2, 3, 0.4]))
    }

    @Test func theBaselineIsAWindowOldAndFewSnapshotsAreKept() {
        var window = Window(window: .seconds(60))
        func rate(_ t: Double, calls: Double) -> Double? {
            Self.read(&window, [Self.hot: .init(calls: calls, execSeconds: 0)], at: t)?.ranked.first?.rate.callsPerSecond
        }
        _ = rate(0, calls: 0)
        // Shortly after start the window is what there is.
        #expect(rate(10, calls: 100) == 10)
        // Calls at 1/s from here on; a burst long ago must leave the window.
        var calls = 100.0
        var t = 10.0
        while t < 300 {
            t += 10
            calls += 10
            let r = rate(t, calls: calls)
            if t >= 100 { #expect(r == 1) }
            #expect(window.snapshots.count <= 3)
        }
    }

    @Test func readOncePerWindowTheBaselineIsThePreviousRead() throws {
        var window = Window(window: .seconds(60))
        _ = Self.read(&window, [Self.hot: .init(calls: 0, execSeconds: 0)], at: 0)
        // Collections start a little early or late: 59.6 s is a window, not a reason to reach
        // back to the read before.
        var (calls, previous) = (0.0, 0.0)
        for t in [59.6, 120.0, 179.7, 240.2] {
            calls += 100
            let rate = try #require(Self.read(&window, [Self.hot: .init(calls: calls, execSeconds: 0)], at: t)).ranked.first?.rate.callsPerSecond
            #expect(abs((rate ?? 0) - 100 / (t - previous)) < 1e-9, "at \(t)")
            #expect(window.snapshots.count <= 2)
            previous = t
        }
    }

    @Test func aStatementThatStopsMovingLeavesTheRanking() throws {
        var window = Window(window: .seconds(20))
        _ = Self.read(&window, [Self.hot: .init(calls: 0, execSeconds: 0)], at: 0)
        #expect(try #require(Self.read(&window, [Self.hot: .init(calls: 50, execSeconds: 1)], at: 10)).ranked.count == 1)
        for t in stride(from: 20.0, through: 60, by: 10) {
            _ = Self.read(&window, [Self.hot: .init(calls: 50, execSeconds: 1)], at: t)
        }
        #expect(try #require(Self.read(&window, [Self.hot: .init(calls: 50, execSeconds: 1)], at: 70)).ranked.isEmpty)
    }

    @Test func rendersBoundedSeriesWithTruncatedText() {
        let result = PostgresStatementsResult(
            entries: 42, window: 60,
            ranked: [.init(key: Self.hot, rate: PostgresStatementRate(callsPerSecond: 100, execSecondsPerSecond: 0.5), totals: Counters(calls: 6010, execSeconds: 31))],
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
        let sql = PostgresStatementsSQL.labels(installed, textLength: 80)
        #expect(sql.contains("\"my \"\"ext\"\"\".pg_stat_statements(true)"))
        // Bound, not written into the text: one statement on the server, however many are asked for.
        #expect(sql.contains("s.queryid = ANY($1::int8[])") && !sql.contains("\n"))
        #expect(PostgresStatementsSQL.labelsQueryIDs([Self.hot, Self.heavy, Self.hot]) == [1, 2])
        #expect(PostgresStatementsSQL.changes(installed, top: 10).contains("pg_stat_statements(false)"))
        #expect(PostgresStatementsSQL.changes(.init(schema: "public", version: "1.7"), top: 10).contains("sum(total_time)"))
    }
}
