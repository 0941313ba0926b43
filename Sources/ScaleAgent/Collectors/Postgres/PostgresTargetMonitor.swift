import Logging
import MetricStore
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import PostgresNIO

/// One target's long-lived connection and its refreshes. A refresh runs entirely on the
/// target's event loop (postgres-nio's future-based API: no task of the Swift concurrency pool
/// ever waits on the database); the collector's thread kicks one off, waits for it at most
/// `collection_timeout`, and renders the last complete result — marked stale if the refresh it
/// waited for has not finished. A refresh still running after the hard limit
/// (connect_timeout + 2 × statement_timeout) has its connection dropped: a server that stopped
/// answering (SIGSTOP, a dead network path) costs one reconnect, never a stuck thread.
final class PostgresTargetMonitor: Sendable {
    let target: PostgresTarget
    private let eventLoop: any EventLoop
    private let logger: Logger
    private let state: NIOLockedValueBox<State>
    private let targetLabels: [Label]

    static let initialBackoff: Duration = .seconds(1)
    static let maximumBackoff: Duration = .seconds(30)

    /// A finished refresh.
    struct Result: Sendable {
        var completedAt: ContinuousClock.Instant
        var duration: Double
        var up: Bool
        /// The target's data families (empty when down).
        var families: [MetricFamily]
        var sectionSuccess: [(PostgresSection, Bool)]
    }

    private struct State {
        var connection: PostgresConnection?
        var refreshID = 0
        var inFlight: (id: Int, ticket: PostgresRefreshTicket, started: ContinuousClock.Instant)?
        var latest: Result?
        var lastUp: Result?
        var errors: [PostgresProblem.Kind: Int] = [:]
        var connections = 0
        var nextConnectAttempt: ContinuousClock.Instant?
        var backoff = PostgresTargetMonitor.initialBackoff
        var lastConnectProblem: String?
        /// Sections the server refused for good (privilege, missing view); retried after a reconnect.
        var disabled: Set<PostgresSection> = []
        var slowCache: [PostgresSection: (time: ContinuousClock.Instant, families: [MetricFamily])] = [:]
        var statementHistory: PostgresStatementHistory
        var statements: (time: ContinuousClock.Instant, result: PostgresStatementsResult)?
        var statementLabels: [PostgresStatementKey: PostgresStatementLabels] = [:]
        /// What was last logged per subject, so a persisting problem is logged once.
        var logged: [String: String] = [:]
        /// Set at shutdown: no connection is made or kept after it.
        var closed = false
    }

    init(target: PostgresTarget, eventLoop: any EventLoop, logger: Logger) {
        self.target = target
        self.eventLoop = eventLoop
        self.logger = logger
        self.targetLabels = PostgresMetrics.labels(of: target)
        self.state = NIOLockedValueBox(
            State(statementHistory: PostgresStatementHistory(window: target.statementsWindow.seconds)))
    }

    deinit {
        Self.drop(state.withLockedValue { $0.connection })
    }

    /// Closes without waiting: pending queries fail, the server sees the socket close.
    private static func drop(_ connection: PostgresConnection?) {
        guard let connection else { return }
        // postgres-nio insists that a connection is closed before it is released, and closing
        // completes later, on the event loop: the callback holds the connection until then.
        connection.close().whenComplete { _ in withExtendedLifetime(connection) {} }
    }

    /// Closes the connection for good (at the agent's shutdown); completes when the server
    /// has seen the goodbye or the socket is gone.
    func close() -> EventLoopFuture<Void> {
        eventLoop.flatSubmit {
            let connection = self.state.withLockedValue { state -> PostgresConnection? in
                state.closed = true
                defer { state.connection = nil }
                return state.connection
            }
            guard let connection else { return self.eventLoop.makeSucceededVoidFuture() }
            return connection.close().always { _ in withExtendedLifetime(connection) {} }
        }
    }

    var hardLimit: Duration { target.connectTimeout + target.statementTimeout * 2 }

    // MARK: the collector's side

    /// Starts a refresh unless one is running (its ticket is returned) or the last one is
    /// younger than `min_interval` (nil: render that one).
    func requestRefresh() -> PostgresRefreshTicket? {
        let now = ContinuousClock.now
        let started: (Int, PostgresRefreshTicket)? = state.withLockedValue { state in
            if let running = state.inFlight { return (-1, running.ticket) }
            if let latest = state.latest, now - latest.completedAt < target.minInterval { return nil }
            state.refreshID += 1
            let ticket = PostgresRefreshTicket()
            state.inFlight = (state.refreshID, ticket, now)
            return (state.refreshID, ticket)
        }
        guard let started else { return nil }
        let (id, ticket) = started
        if id >= 0 {
            eventLoop.execute { self.refresh(id: id) }
        }
        return ticket
    }

    /// pg_up, the agent's own per-target metrics and the last complete result's families.
    /// `waited` is the ticket the collection waited for, nil when it reused a recent result.
    func render(into metrics: inout MetricsBuilder, waited ticket: PostgresRefreshTicket?) {
        let now = ContinuousClock.now
        let (latest, lastUp, errors, connections) = state.withLockedValue { ($0.latest, $0.lastUp, $0.errors, $0.connections) }
        let stale = ticket.map { !$0.isComplete } ?? false
        var m = PostgresMetrics(targetLabels: targetLabels)
        let up = latest?.up ?? false
        m.gauge("pg_up", "Whether the last refresh of this server succeeded (1) or not (0).", up ? 1 : 0)
        for kind in PostgresProblem.Kind.allCases {
            m.counter(
                "scalewatch_postgres_errors_total",
                "Failures talking to the server: connect (connection, authentication, password source, TLS), query (a query refused or canceled), timeout (no answer within the hard limit).",
                Double(errors[kind] ?? 0), [("kind", kind.rawValue)])
        }
        m.counter("scalewatch_postgres_connections_total", "Connections the agent opened to this server.", Double(connections))
        m.gauge(
            "scalewatch_postgres_stale",
            "Whether the data shown comes from an earlier refresh because the current one did not finish within collection_timeout.",
            stale ? 1 : 0)
        if let latest {
            m.gauge("scalewatch_postgres_refresh_duration_seconds", "How long the last completed refresh took.", latest.duration)
        }
        var families = m.build()
        if up, let lastUp {
            var age = PostgresMetrics(targetLabels: targetLabels)
            age.gauge("scalewatch_postgres_result_age_seconds", "Age of the data shown for this server.", (now - lastUp.completedAt).seconds)
            for (section, success) in lastUp.sectionSuccess {
                age.gauge(
                    "scalewatch_postgres_query_success", "Whether the section's query succeeded in the last refresh.", success ? 1 : 0,
                    [("section", section.rawValue)])
            }
            families += age.build() + lastUp.families
        }
        metrics.append(contentsOf: families)
    }

    // MARK: the event loop's side

    /// Runs on the event loop. Every path ends in `finish(id:)`, exactly once per refresh id.
    private func refresh(id: Int) {
        let started = ContinuousClock.now
        let watchdog = eventLoop.scheduleTask(in: .milliseconds(hardLimit.milliseconds)) {
            self.abandon(id: id, started: started)
        }
        let password: String?
        do {
            password = try PostgresSession.password(target.password)
        } catch {
            watchdog.cancel()
            finish(id: id, started: started, outcome: .failure(error))
            return
        }
        connection(password: password).flatMap { connection in
            self.collect(on: connection, password: password)
        }.whenComplete { result in
            watchdog.cancel()
            switch result {
            case .success(let refresh):
                self.finish(id: id, started: started, outcome: .success(refresh))
            case .failure(let error):
                let problem = PostgresProblem.describing(error, kind: .connect, password: password, sslMode: self.target.sslMode.rawValue)
                self.finish(id: id, started: started, outcome: .failure(problem))
            }
        }
    }

    /// The hard limit passed: the server stopped answering. Drop the connection (its pending
    /// queries fail) and report the refresh as timed out now, whatever the socket does.
    private func abandon(id: Int, started: ContinuousClock.Instant) {
        let problem = PostgresProblem(
            kind: .timeout,
            message: "no answer within \(hardLimit.seconds) s (connect_timeout + 2 × statement_timeout); connection dropped")
        // Finish first: dropping the connection fails its pending queries, whose callbacks then
        // find this refresh already over.
        finish(id: id, started: started, outcome: .failure(problem))
    }

    private struct Refresh: Sendable {
        var families: [MetricFamily]
        var sectionSuccess: [(PostgresSection, Bool)]
        var problems: [(PostgresSection, PostgresProblem)]
    }

    private enum Outcome {
        case success(Refresh)
        case failure(PostgresProblem)
    }

    private func finish(id: Int, started: ContinuousClock.Instant, outcome: Outcome) {
        let now = ContinuousClock.now
        // NIO is called only after the lock is released: closing a connection runs the callbacks
        // of its pending queries at once, and those come back here.
        let (ticket, drop) = state.withLockedValue { state -> (PostgresRefreshTicket?, PostgresConnection?) in
            guard let running = state.inFlight, running.id == id else { return (nil, nil) }
            var drop: PostgresConnection?
            state.inFlight = nil
            var result = Result(completedAt: now, duration: (now - started).seconds, up: false, families: [], sectionSuccess: [])
            switch outcome {
            case .success(let refresh):
                result.up = true
                result.families = refresh.families
                result.sectionSuccess = refresh.sectionSuccess
                state.lastUp = result
                for (section, problem) in refresh.problems {
                    state.errors[problem.kind, default: 0] += 1
                    logOnce(&state, subject: section.rawValue, problem.description, disabled: state.disabled.contains(section))
                }
                for (section, success) in refresh.sectionSuccess where success {
                    logRecovery(&state, subject: section.rawValue)
                }
                logRecovery(&state, subject: "connection")
            case .failure(let problem):
                if !(problem.sqlState == PostgresTargetMonitor.backingOff) {
                    state.errors[problem.kind, default: 0] += 1
                    logOnce(&state, subject: "connection", problem.description, disabled: false)
                }
                // Whatever failed, the next refresh starts from a fresh connection.
                drop = state.connection
                state.connection = nil
            }
            state.latest = result
            return (running.ticket, drop)
        }
        Self.drop(drop)
        ticket?.complete()
    }

    private func logOnce(_ state: inout State, subject: String, _ message: String, disabled: Bool) {
        guard state.logged[subject] != message else { return }
        state.logged[subject] = message
        var metadata: Logger.Metadata = ["server": "\(target.serverLabel)", "database": "\(target.database)", "error": "\(message)"]
        if subject != "connection" { metadata["query"] = "\(subject)" }
        if disabled { metadata["retry"] = "after the next reconnect" }
        logger.warning(subject == "connection" ? "postgres target down" : "postgres query failed", metadata: metadata)
    }

    private func logRecovery(_ state: inout State, subject: String) {
        guard state.logged.removeValue(forKey: subject) != nil else { return }
        var metadata: Logger.Metadata = ["server": "\(target.serverLabel)", "database": "\(target.database)"]
        if subject != "connection" { metadata["query"] = "\(subject)" }
        logger.info(subject == "connection" ? "postgres target up" : "postgres query works again", metadata: metadata)
    }

    /// Marks a failure that is only the backoff's wait: not counted, not logged again.
    static let backingOff = "backoff"

    private func connection(password: String?) -> EventLoopFuture<PostgresConnection> {
        let now = ContinuousClock.now
        enum Decision {
            case use(PostgresConnection)
            case wait(Duration, String)
            case connect
        }
        let decision: Decision = state.withLockedValue { state in
            if state.closed { return .wait(.zero, "the agent is shutting down") }
            if let connection = state.connection, !connection.isClosed { return .use(connection) }
            state.connection = nil
            if let next = state.nextConnectAttempt, now < next {
                return .wait(next - now, state.lastConnectProblem ?? "")
            }
            return .connect
        }
        switch decision {
        case .use(let connection):
            return eventLoop.makeSucceededFuture(connection)
        case .wait(let remaining, let last):
            return eventLoop.makeFailedFuture(
                PostgresProblem(
                    kind: .connect, message: "reconnecting in \(Int(remaining.seconds.rounded(.up))) s; last error: \(last)",
                    sqlState: Self.backingOff))
        case .connect:
            break
        }
        let configuration: PostgresConnection.Configuration
        do {
            configuration = PostgresSession.configuration(target, password: password, tls: try PostgresSession.tls(target))
        } catch {
            return eventLoop.makeFailedFuture(connectFailed(error, password: password))
        }
        var quiet = logger
        quiet.logLevel = max(logger.logLevel, .warning)
        let id = state.withLockedValue { $0.connections + 1 }
        return PostgresConnection.connect(on: eventLoop, configuration: configuration, id: id, logger: quiet)
            .flatMapThrowing { connection in
                let closed = self.state.withLockedValue { $0.closed }
                if closed {
                    Self.drop(connection)
                    throw PostgresProblem(kind: .connect, message: "the agent is shutting down", sqlState: nil)
                }
                self.state.withLockedValue { state in
                    state.connection = connection
                    state.connections += 1
                    state.nextConnectAttempt = nil
                    state.backoff = Self.initialBackoff
                    state.lastConnectProblem = nil
                    state.disabled = []
                }
                return connection
            }
            .flatMapErrorThrowing { error in
                throw self.connectFailed(error, password: password)
            }
    }

    /// Schedules the next attempt after a failed connect, doubling the wait up to 30 s.
    private func connectFailed(_ error: any Error, password: String?) -> PostgresProblem {
        let problem = PostgresProblem.describing(error, kind: .connect, password: password, sslMode: target.sslMode.rawValue)
        state.withLockedValue { state in
            state.nextConnectAttempt = .now + state.backoff
            state.backoff = min(state.backoff * 2, Self.maximumBackoff)
            state.lastConnectProblem = problem.message
        }
        return PostgresProblem(kind: .connect, message: problem.message, sqlState: problem.sqlState)
    }

    // MARK: the queries of one refresh

    /// One refresh's running total, touched only on the event loop.
    private final class Accumulator: @unchecked Sendable {
        var families: [MetricFamily] = []
        var sectionSuccess: [(PostgresSection, Bool)] = []
        var problems: [(PostgresSection, PostgresProblem)] = []
        var waitingLocks = 0.0
    }

    private func collect(on connection: PostgresConnection, password: String?) -> EventLoopFuture<Refresh> {
        let logger = self.logger
        return connection.query(PostgresQuery(unsafeSQL: PostgresServerInfo.query), logger: logger)
            .flatMapThrowing { result -> PostgresServerInfo in
                do {
                    return try PostgresServerInfo.parse(Self.table(result))
                } catch {
                    throw PostgresProblem(kind: .connect, message: "\(error)")
                }
            }
            .flatMap { info in
                let accumulator = Accumulator()
                var server = PostgresMetrics(targetLabels: self.targetLabels)
                PostgresMapping.server(info, into: &server)
                accumulator.families += server.build()
                let context = PostgresMapping.Context(info: info, target: self.target)
                return self.run(PostgresSection.allCases[...], on: connection, context, accumulator, password: password)
                    .map { Refresh(families: accumulator.families, sectionSuccess: accumulator.sectionSuccess, problems: accumulator.problems) }
            }
    }

    /// The sections one after the other on the one connection.
    private func run(
        _ sections: ArraySlice<PostgresSection>, on connection: PostgresConnection, _ context: PostgresMapping.Context,
        _ accumulator: Accumulator, password: String?
    ) -> EventLoopFuture<Void> {
        guard let section = sections.first else { return eventLoop.makeSucceededVoidFuture() }
        let rest = sections.dropFirst()
        return runSection(section, on: connection, context, accumulator, password: password).flatMap {
            self.run(rest, on: connection, context, accumulator, password: password)
        }
    }

    private func runSection(
        _ section: PostgresSection, on connection: PostgresConnection, _ context: PostgresMapping.Context,
        _ accumulator: Accumulator, password: String?
    ) -> EventLoopFuture<Void> {
        let now = ContinuousClock.now
        let (disabled, cached) = state.withLockedValue { ($0.disabled.contains(section), $0.slowCache[section]) }
        if disabled {
            // Refused for good on this connection (privilege, missing view): stays visible as 0.
            accumulator.sectionSuccess.append((section, false))
            return eventLoop.makeSucceededVoidFuture()
        }
        if section == .statements {
            return statements(on: connection, context, accumulator, password: password)
        }
        if section == .blocking && accumulator.waitingLocks == 0 {
            // Nobody waits: nothing to ask pg_blocking_pids about.
            var m = PostgresMetrics(targetLabels: targetLabels)
            PostgresMapping.blocking(blocked: 0, blocking: 0, into: &m)
            accumulator.families += m.build()
            return eventLoop.makeSucceededVoidFuture()
        }
        if section.isSlow, let cached, now - cached.time < target.slowInterval {
            accumulator.families += cached.families
            accumulator.sectionSuccess.append((section, true))
            return eventLoop.makeSucceededVoidFuture()
        }
        guard let sql = section.sql(context.info, target) else { return eventLoop.makeSucceededVoidFuture() }
        let targetLabels = self.targetLabels
        return connection.query(PostgresQuery(unsafeSQL: sql), logger: logger)
            .map { result in
                let table = Self.table(result)
                var m = PostgresMetrics(targetLabels: targetLabels)
                PostgresMapping.map(section, table, context, into: &m)
                if section == .lockWaits { accumulator.waitingLocks = PostgresMapping.waitingLocks(table) }
                let families = m.build()
                accumulator.families += families
                accumulator.sectionSuccess.append((section, true))
                if section.isSlow {
                    self.state.withLockedValue { $0.slowCache[section] = (now, families) }
                }
            }
            .flatMapError { error in
                self.sectionFailed(section, error, accumulator, password: password)
            }
    }

    /// A query's own failure costs its section; a broken connection fails the refresh.
    private func sectionFailed(
        _ section: PostgresSection, _ error: any Error, _ accumulator: Accumulator, password: String?
    ) -> EventLoopFuture<Void> {
        let problem = PostgresProblem.describing(error, kind: .query, password: password, sslMode: target.sslMode.rawValue)
        if problem.losesConnection { return eventLoop.makeFailedFuture(problem) }
        accumulator.sectionSuccess.append((section, false))
        accumulator.problems.append((section, problem))
        if problem.isPermanentForSession {
            state.withLockedValue { _ = $0.disabled.insert(section) }
        }
        return eventLoop.makeSucceededVoidFuture()
    }

    /// pg_stat_statements, when installed: counters every quarter window, ranked against the
    /// window's baseline; names and texts only for ranked statements not seen before.
    private func statements(
        on connection: PostgresConnection, _ context: PostgresMapping.Context, _ accumulator: Accumulator,
        password: String?
    ) -> EventLoopFuture<Void> {
        guard let installed = context.info.statements, target.topStatements > 0 else { return eventLoop.makeSucceededVoidFuture() }
        let now = ContinuousClock.now
        let targetLabels = self.targetLabels
        let cached = state.withLockedValue { $0.statements }
        if let cached, now - cached.time < target.statementsWindow / 4 {
            var m = PostgresMetrics(targetLabels: targetLabels)
            cached.result.render(into: &m)
            accumulator.families += m.build()
            accumulator.sectionSuccess.append((.statements, true))
            return eventLoop.makeSucceededVoidFuture()
        }
        let target = self.target
        let logger = self.logger
        return connection.query(PostgresQuery(unsafeSQL: PostgresStatementsSQL.counters(installed)), logger: logger)
            .flatMapThrowing { result -> [PostgresStatementKey: PostgresStatementCounters] in
                var counters: [PostgresStatementKey: PostgresStatementCounters] = [:]
                counters.reserveCapacity(result.rows.count)
                for row in result.rows {
                    let (query, database, user, calls, seconds) = try row.decode((Int64, Int64, Int64, Int64, Double).self)
                    counters[PostgresStatementKey(queryID: query, databaseID: database, userID: user)] =
                        PostgresStatementCounters(calls: Double(calls), execSeconds: seconds)
                }
                return counters
            }
            .flatMap { counters in
                let seconds = (now - ContinuousClock.Instant.processStart).seconds
                let (ranked, window, known) = self.state.withLockedValue { state in
                    let advanced = state.statementHistory.advance(to: counters, at: seconds)
                    let rates = advanced?.rates ?? [:]
                    let keys = PostgresStatementHistory.top(rates, k: target.topStatements)
                    let ranked = keys.map { (key: $0, rate: rates[$0]!, totals: counters[$0]!) }
                    // Keep only the labels still needed: the cache never outgrows 2 × K.
                    let wanted = Set(keys)
                    state.statementLabels = state.statementLabels.filter { wanted.contains($0.key) }
                    return (ranked, advanced?.elapsed ?? 0, state.statementLabels)
                }
                let missing = ranked.map(\.key).filter { known[$0] == nil }
                let fetch: EventLoopFuture<[PostgresStatementKey: PostgresStatementLabels]> =
                    missing.isEmpty
                    ? self.eventLoop.makeSucceededFuture([:])
                    : connection.query(
                        PostgresQuery(
                            unsafeSQL: PostgresStatementsSQL.labels(installed, keys: missing, textLength: target.queryTextLength)),
                        logger: logger
                    ).map { PostgresStatementsSQL.parseLabels(Self.table($0), textLength: target.queryTextLength) }
                return fetch.map { fetched in
                    let wanted = Set(missing)
                    let labels = self.state.withLockedValue { state in
                        state.statementLabels.merge(fetched.filter { wanted.contains($0.key) }) { $1 }
                        return state.statementLabels
                    }
                    let result = PostgresStatementsResult(entries: counters.count, window: window, ranked: ranked, labels: labels)
                    self.state.withLockedValue { $0.statements = (now, result) }
                    var m = PostgresMetrics(targetLabels: targetLabels)
                    result.render(into: &m)
                    accumulator.families += m.build()
                    accumulator.sectionSuccess.append((.statements, true))
                }
            }
            .flatMapError { error in
                self.sectionFailed(.statements, error, accumulator, password: password)
            }
    }

    /// The result's cells as text (every monitoring query casts its columns to text).
    static func table(_ result: PostgresQueryResult) -> PostgresTable {
        var columns: [String] = []
        var rows: [[String?]] = []
        rows.reserveCapacity(result.rows.count)
        for row in result.rows {
            var values: [String?] = []
            if columns.isEmpty { columns = row.map(\.columnName) }
            for cell in row { values.append(cell.bytes.map { String(buffer: $0) }) }
            rows.append(values)
        }
        return PostgresTable(columns: columns, rows: rows)
    }
}

/// One refresh's completion, waited for by collector threads with a deadline.
final class PostgresRefreshTicket: Sendable {
    private let done = ConditionLock(value: false)

    /// (`ConditionLock.value` takes the lock itself.)
    var isComplete: Bool { done.value }

    func complete() {
        done.lock()
        done.unlock(withValue: true)
    }

    /// Blocks the calling (collector) thread until the refresh completes or `seconds` pass.
    func wait(seconds: Double) -> Bool {
        guard done.lock(whenValue: true, timeoutSeconds: max(0, seconds)) else { return false }
        done.unlock()
        return true
    }
}

extension ContinuousClock.Instant {
    /// A fixed origin for the statements' window arithmetic in plain seconds.
    static let processStart = ContinuousClock.now
}
