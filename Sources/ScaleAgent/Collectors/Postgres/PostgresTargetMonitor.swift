import Logging
import MetricStore
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import PostgresNIO

/// One target's long-lived connection and its refreshes: the shell that performs what
/// `PostgresConnectionStateMachine` decides. A refresh runs entirely on the target's event loop
/// (postgres-nio's future-based API: no task of the Swift concurrency pool ever waits on the
/// database); the collector's thread kicks one off, waits for it at most `collection_timeout`,
/// and renders the last complete result — marked stale if the refresh it waited for has not
/// finished. A refresh still running after the hard limit (connect_timeout + 2 ×
/// statement_timeout) has its connection dropped: a server that stopped answering (SIGSTOP, a
/// dead network path) costs one reconnect, never a stuck thread.
final class PostgresTargetMonitor: Sendable {
    private let eventLoop: any EventLoop
    private let logger: Logger
    private let state: NIOLockedValueBox<State>
    private let targetLabels: [Label]

    private struct State {
        var machine: PostgresConnectionStateMachine
        var connection: (id: Int, connection: PostgresConnection)?
        /// The batch statements prepared on `connection`, by their text: parsed and planned once
        /// per connection, not at every refresh (a handful of texts: the due sections differ).
        var prepared: [String: PreparedQuery] = [:]
        /// The running refresh's ticket.
        var ticket: (refreshID: Int, ticket: PostgresRefreshTicket)?
        /// The password of the connection, kept to redact it from error messages.
        var password: String?
        var info: PostgresServerInfo?
        var serverFamilies: [MetricFamily] = []
        /// Each section's families from its last successful read, served until it is due again.
        var sections: [PostgresSection: [MetricFamily]] = [:]
        var statements: PostgresStatementsWindow
        var statementLabels: [PostgresStatementKey: PostgresStatementLabels] = [:]
        var metrics = PostgresTargetMetrics()
        var watchdog: (refreshID: Int, task: Scheduled<Void>)?
        /// What was last logged per subject, so a persisting problem is logged once.
        var logged: [String: String] = [:]
    }

    init(target: PostgresTarget, eventLoop: any EventLoop, logger: Logger) {
        self.eventLoop = eventLoop
        self.logger = logger
        self.targetLabels = PostgresMetrics.labels(of: target)
        self.state = NIOLockedValueBox(
            State(machine: PostgresConnectionStateMachine(target: target), statements: PostgresStatementsWindow(window: target.statementsWindow)))
    }

    deinit {
        Self.drop(state.withLockedValue { $0.connection?.connection })
    }

    var target: PostgresTarget { state.withLockedValue { $0.machine.target } }

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
            let (action, connection) = self.state.withLockedValue { state in
                defer { state.connection = nil }
                return (state.machine.shutdown(now: .now), state.connection?.connection)
            }
            if case .close(_, let report?) = action { self.finish(report) }
            if case .finish(let report) = action { self.finish(report) }
            guard let connection else { return self.eventLoop.makeSucceededVoidFuture() }
            return connection.close().always { _ in withExtendedLifetime(connection) {} }
        }
    }

    /// A reload changed settings that leave the target's series alone (timeouts, intervals,
    /// limits): the connection is kept unless its session settings changed.
    func update(_ target: PostgresTarget) {
        eventLoop.execute {
            let action = self.state.withLockedValue { state -> PostgresConnectionStateMachine.Action in
                let old = state.machine.target
                guard old != target else { return .none }
                if old.statementsWindow != target.statementsWindow || old.topStatements != target.topStatements {
                    state.statements = PostgresStatementsWindow(window: target.statementsWindow)
                    state.sections[.statements] = nil
                }
                return state.machine.settingsChanged(to: target, now: .now)
            }
            self.perform(action)
        }
    }

    // MARK: the collector's side

    /// Starts a refresh unless one is running (its ticket is returned) or the last one is
    /// younger than `min_interval` (nil: render that one).
    func requestRefresh() -> PostgresRefreshTicket? {
        let request: (PostgresRefreshTicket, PostgresConnectionStateMachine.Action?)? = state.withLockedValue { state in
            switch state.machine.requestRefresh(now: .now) {
            case .reuse:
                return nil
            case .join:
                return state.ticket.map { ($0.ticket, nil) }
            case .start(let id, let action):
                let ticket = PostgresRefreshTicket()
                state.ticket = (id, ticket)
                return (ticket, action)
            }
        }
        guard let (ticket, action) = request else { return nil }
        if let action { eventLoop.execute { self.start(action) } }
        return ticket
    }

    /// pg_up, the agent's own per-target metrics and the last complete result's families.
    /// `waited` is the ticket the collection waited for, nil when it reused a recent result.
    func render(into metrics: inout MetricsBuilder, waited ticket: PostgresRefreshTicket?) {
        let now = ContinuousClock.now
        let targetMetrics = state.withLockedValue { $0.metrics }
        targetMetrics.render(into: &metrics, targetLabels: targetLabels, stale: ticket.map { !$0.isComplete } ?? false, now: now)
    }

    // MARK: the event loop's side

    private typealias Machine = PostgresConnectionStateMachine

    private func start(_ action: Machine.Action) {
        let (refreshID, hardLimit) = state.withLockedValue { ($0.ticket?.refreshID ?? 0, $0.machine.hardLimit) }
        let watchdog = eventLoop.scheduleTask(in: .milliseconds(hardLimit.milliseconds)) {
            self.perform(self.state.withLockedValue { $0.machine.hardLimitPassed(refreshID: refreshID, now: .now) }, refreshID: refreshID)
        }
        state.withLockedValue { $0.watchdog = (refreshID, watchdog) }
        perform(action, refreshID: refreshID)
    }

    /// Does what the machine said. Runs on the event loop, never under the lock: closing a
    /// connection runs the callbacks of its pending queries at once, and those come back here.
    private func perform(_ action: Machine.Action, refreshID: Int = 0) {
        switch action {
        case .none:
            break
        case .connect(let connectionID):
            connect(connectionID, refreshID: refreshID)
        case .readServer(let connectionID):
            guard let connection = connection(connectionID) else { return }
            readServer(on: connection, refreshID: refreshID)
        case .run(let step, let connectionID):
            guard let connection = connection(connectionID) else { return }
            run(step, on: connection, refreshID: refreshID)
        case .finish(let report):
            finish(report)
        case .close(let connectionID, let report):
            let dropped = state.withLockedValue { state -> PostgresConnection? in
                guard let open = state.connection, open.id == connectionID else { return nil }
                state.connection = nil
                return open.connection
            }
            // Finish first: dropping the connection fails its pending queries, whose callbacks
            // then find this refresh already over.
            if let report { finish(report) }
            Self.drop(dropped)
        }
    }

    private func connection(_ id: Int) -> PostgresConnection? {
        state.withLockedValue { state in state.connection.flatMap { $0.id == id ? $0.connection : nil } }
    }

    /// Feeds the machine an event and performs its answer.
    private func event(refreshID: Int, _ body: (inout Machine, ContinuousClock.Instant) -> Machine.Action) {
        let action = state.withLockedValue { body(&$0.machine, .now) }
        perform(action, refreshID: refreshID)
    }

    private func connect(_ connectionID: Int, refreshID: Int) {
        let target = self.target
        let configuration: PostgresConnection.Configuration
        let password: String?
        do {
            password = try PostgresSession.password(target.password)
            configuration = PostgresSession.configuration(target, password: password, tls: try PostgresSession.tls(target))
        } catch {
            event(refreshID: refreshID) { $0.connectFailed(connectionID: connectionID, refreshID: refreshID, problem: error, now: $1) }
            return
        }
        var quiet = logger
        quiet.logLevel = max(logger.logLevel, .warning)
        PostgresConnection.connect(on: eventLoop, configuration: configuration, id: connectionID, logger: quiet).whenComplete { result in
            switch result {
            case .success(let connection):
                let (action, kept) = self.state.withLockedValue { state in
                    let action = state.machine.connected(connectionID: connectionID, refreshID: refreshID, now: .now)
                    guard state.machine.connection == .open(id: connectionID) else { return (action, false) }
                    state.connection = (connectionID, connection)
                    state.prepared = [:]
                    state.password = password
                    state.metrics.connections = state.machine.connectionsOpened
                    return (action, true)
                }
                if !kept { Self.drop(connection) }
                self.perform(action, refreshID: refreshID)
            case .failure(let error):
                let problem = PostgresProblem.describing(error, kind: .connect, password: password, sslMode: target.sslMode.rawValue)
                self.event(refreshID: refreshID) {
                    $0.connectFailed(connectionID: connectionID, refreshID: refreshID, problem: PostgresProblem(kind: .connect, message: problem.message, sqlState: problem.sqlState), now: $1)
                }
            }
        }
    }

    private func problem(_ error: any Error, kind: PostgresProblem.Kind) -> PostgresProblem {
        let (password, target) = state.withLockedValue { ($0.password, $0.machine.target) }
        return PostgresProblem.describing(error, kind: kind, password: password, sslMode: target.sslMode.rawValue)
    }

    private func readServer(on connection: PostgresConnection, refreshID: Int) {
        connection.query(PostgresQuery(unsafeSQL: PostgresServerInfo.query), logger: logger).whenComplete { result in
            do {
                let info = try PostgresServerInfo.parse(Self.table(try result.get()))
                let applicable = self.serverRead(info)
                self.event(refreshID: refreshID) { $0.serverRead(refreshID: refreshID, applicable: applicable, now: $1) }
            } catch let error as PostgresServerInfo.Problem {
                let problem = PostgresProblem(kind: .connect, message: "\(error)")
                self.event(refreshID: refreshID) { $0.serverReadFailed(refreshID: refreshID, problem: problem, now: $1) }
            } catch {
                let problem = self.problem(error, kind: .connect)
                self.event(refreshID: refreshID) { $0.serverReadFailed(refreshID: refreshID, problem: problem, now: $1) }
            }
        }
    }

    /// Keeps what the server is and renders it; returns the sections that apply to it.
    private func serverRead(_ info: PostgresServerInfo) -> [PostgresSection] {
        var server = PostgresMetrics(targetLabels: targetLabels)
        PostgresMapping.server(info, into: &server)
        let families = server.build()
        return state.withLockedValue { state in
            state.info = info
            state.serverFamilies = families
            let target = state.machine.target
            return PostgresSection.allCases.filter { section in
                section == .statements
                    ? info.statements != nil && target.topStatements > 0 : section.sql(info, target) != nil
            }
        }
    }

    private func run(_ step: Machine.Step, on connection: PostgresConnection, refreshID: Int) {
        let (info, target) = state.withLockedValue { ($0.info, $0.machine.target) }
        guard let info else { preconditionFailure("BUG: a step before the server was read") }
        let context = PostgresMapping.Context(info: info, target: target)
        let done: EventLoopFuture<Void>
        switch step {
        case .single(.statements):
            done = statements(on: connection, info, target)
        case .single(let section):
            done = single(section, on: connection, context)
        case .batch(let sections):
            done = batch(sections, on: connection, context)
        }
        done.whenComplete { result in
            let outcome: Machine.StepOutcome
            switch result {
            case .success: outcome = .success
            case .failure(let error): outcome = .failure(self.problem(error, kind: .query))
            }
            if case .failure = outcome, case .single(let section) = step {
                // Failed sections show no data, not old data.
                self.state.withLockedValue { _ = $0.sections.removeValue(forKey: section) }
            }
            self.event(refreshID: refreshID) { $0.stepFinished(refreshID: refreshID, step: step, outcome: outcome, now: $1) }
        }
    }

    private func keep(_ section: PostgresSection, _ table: PostgresTable, _ context: PostgresMapping.Context) {
        var m = PostgresMetrics(targetLabels: targetLabels)
        PostgresMapping.map(section, table, context, into: &m)
        let families = m.build()
        state.withLockedValue { $0.sections[section] = families }
    }

    private func single(_ section: PostgresSection, on connection: PostgresConnection, _ context: PostgresMapping.Context) -> EventLoopFuture<Void> {
        guard let sql = section.sql(context.info, context.target) else { return eventLoop.makeSucceededVoidFuture() }
        return connection.query(PostgresQuery(unsafeSQL: sql), logger: logger).map { result in
            self.keep(section, Self.table(result), context)
        }
    }

    private func batch(_ sections: [PostgresSection], on connection: PostgresConnection, _ context: PostgresMapping.Context) -> EventLoopFuture<Void> {
        let queries = sections.compactMap { section in section.sql(context.info, context.target).map { (section, $0) } }
        return prepared(PostgresSectionBatch.sql(queries), on: connection)
            .flatMap { $0.execute() }
            .flatMapThrowing { rows in
                guard let row = rows.first else { throw PostgresProblem(kind: .query, message: "the section batch returned no row") }
                var columns = row.makeIterator()
                do {
                    let server = try PostgresServerInfo.parse(PostgresSectionBatch.table(columns.next()?.bytes.map { String(buffer: $0) }))
                    let tables = try queries.map { _ in try PostgresSectionBatch.table(columns.next()?.bytes.map { String(buffer: $0) }) }
                    if server != context.info {
                        let applicable = self.serverRead(server)
                        self.state.withLockedValue { $0.machine.serverChanged(applicable: applicable) }
                    }
                    for ((section, _), table) in zip(queries, tables) { self.keep(section, table, context) }
                } catch {
                    throw PostgresProblem(kind: .query, message: "\(error)")
                }
            }
    }

    /// The statement prepared on this connection, preparing it the first time.
    private func prepared(_ sql: String, on connection: PostgresConnection) -> EventLoopFuture<PreparedQuery> {
        if let known = state.withLockedValue({ $0.prepared[sql] }) { return eventLoop.makeSucceededFuture(known) }
        return connection.prepare(query: sql).map { prepared in
            self.state.withLockedValue { state in
                guard state.connection?.connection === connection else { return }
                // A few texts in the steady state; many would mean sections coming and going.
                if state.prepared.count >= 16 { state.prepared = [:] }
                state.prepared[sql] = prepared
            }
            return prepared
        }
    }

    /// pg_stat_statements, ranked by the server against the window's baseline; names and texts
    /// only for ranked statements not seen before.
    private func statements(on connection: PostgresConnection, _ info: PostgresServerInfo, _ target: PostgresTarget) -> EventLoopFuture<Void> {
        guard let installed = info.statements else { return eventLoop.makeSucceededVoidFuture() }
        let now = ContinuousClock.now
        let baseline = state.withLockedValue { $0.statements.baseline(at: now) }
        var binds = PostgresBindings()
        binds.append(baseline?.keys.map(\.queryID) ?? [])
        binds.append(baseline?.keys.map(\.databaseID) ?? [])
        binds.append(baseline?.keys.map(\.userID) ?? [])
        binds.append(baseline?.calls ?? [])
        binds.append(baseline?.seconds ?? [])
        let query = PostgresQuery(unsafeSQL: PostgresStatementsSQL.changes(installed, top: target.topStatements), binds: binds)
        let logger = self.logger
        return connection.query(query, logger: logger)
            .flatMapThrowing { result -> [PostgresStatementsWindow.Row] in
                try result.rows.compactMap { row in
                    let (kind, position, query, database, user, calls, seconds, top) =
                        try row.decode((Int64, Int64?, Int64?, Int64?, Int64?, Int64?, Double?, Bool?).self)
                    switch kind {
                    case 1:
                        guard let query, let database, let user, let calls, let seconds else { return nil }
                        return .changed(
                            position: position.map(Int.init), key: PostgresStatementKey(queryID: query, databaseID: database, userID: user),
                            calls: calls, seconds: seconds, top: top ?? false)
                    case 2: return position.map { .gone(position: Int($0)) }
                    default: return .entries(Int(position ?? 0))
                    }
                }
            }
            .flatMap { rows in
                let (advanced, missing) = self.state.withLockedValue { state in
                    let advanced = state.statements.advance(rows, against: baseline, at: now)
                    // Keep only the labels still needed: the cache never outgrows 2 × K.
                    let wanted = Set(advanced?.ranked.map(\.key) ?? [])
                    state.statementLabels = state.statementLabels.filter { wanted.contains($0.key) }
                    return (advanced, (advanced?.ranked ?? []).map(\.key).filter { state.statementLabels[$0] == nil })
                }
                let fetch: EventLoopFuture<[PostgresStatementKey: PostgresStatementLabels]> =
                    missing.isEmpty
                    ? self.eventLoop.makeSucceededFuture([:])
                    : connection.query(
                        PostgresQuery(
                            unsafeSQL: PostgresStatementsSQL.labels(installed, textLength: target.queryTextLength),
                            binds: Self.bindings(PostgresStatementsSQL.labelsQueryIDs(missing))),
                        logger: logger
                    ).map { PostgresStatementsSQL.parseLabels(Self.table($0), textLength: target.queryTextLength) }
                return fetch.map { fetched in
                    let wanted = Set(missing)
                    let labels = self.state.withLockedValue { state in
                        state.statementLabels.merge(fetched.filter { wanted.contains($0.key) }) { $1 }
                        return state.statementLabels
                    }
                    let entries = advanced?.entries ?? rows.reduce(0) { if case .entries(let n) = $1 { n } else { $0 } }
                    let result = PostgresStatementsResult(
                        entries: entries, window: advanced?.elapsed ?? 0, ranked: advanced?.ranked ?? [], labels: labels)
                    var m = PostgresMetrics(targetLabels: self.targetLabels)
                    result.render(into: &m)
                    let families = m.build()
                    self.state.withLockedValue { $0.sections[.statements] = families }
                }
            }
    }

    private static func bindings(_ values: [Int64]) -> PostgresBindings {
        var binds = PostgresBindings()
        binds.append(values)
        return binds
    }

    // MARK: the end of a refresh

    private func finish(_ report: Machine.Report) {
        let ticket = state.withLockedValue { state -> PostgresRefreshTicket? in
            var refresh = PostgresTargetMetrics.Refresh(
                completedAt: report.finished, duration: (report.finished - report.started).seconds, up: report.up)
            if report.up {
                refresh.sectionSuccess = report.sections
                refresh.families = state.serverFamilies
                for (section, current) in report.sections where current {
                    refresh.families += state.sections[section] ?? []
                }
                for (section, problem) in report.problems {
                    state.metrics.count(problem.kind)
                    logOnce(&state, subject: section.rawValue, problem.description, disabled: state.machine.disabled.contains(section))
                }
                for (section, success) in report.sections where success {
                    logRecovery(&state, subject: section.rawValue)
                }
                logRecovery(&state, subject: "connection")
            } else if let problem = report.problem, report.counted {
                state.metrics.count(problem.kind)
                logOnce(&state, subject: "connection", problem.description, disabled: false)
            }
            state.metrics.record(refresh)
            state.metrics.connections = state.machine.connectionsOpened
            if let watchdog = state.watchdog, watchdog.refreshID == report.refreshID {
                watchdog.task.cancel()
                state.watchdog = nil
            }
            guard let running = state.ticket, running.refreshID == report.refreshID else { return nil }
            state.ticket = nil
            return running.ticket
        }
        ticket?.complete()
    }

    private func logOnce(_ state: inout State, subject: String, _ message: String, disabled: Bool) {
        guard state.logged[subject] != message else { return }
        state.logged[subject] = message
        let target = state.machine.target
        var metadata: Logger.Metadata = ["server": "\(target.serverLabel)", "database": "\(target.database)", "error": "\(message)"]
        if subject != "connection" { metadata["query"] = "\(subject)" }
        if disabled { metadata["retry"] = "after the next reconnect" }
        logger.warning(subject == "connection" ? "postgres target down" : "postgres query failed", metadata: metadata)
    }

    private func logRecovery(_ state: inout State, subject: String) {
        guard state.logged.removeValue(forKey: subject) != nil else { return }
        let target = state.machine.target
        var metadata: Logger.Metadata = ["server": "\(target.serverLabel)", "database": "\(target.database)"]
        if subject != "connection" { metadata["query"] = "\(subject)" }
        logger.info(subject == "connection" ? "postgres target up" : "postgres query works again", metadata: metadata)
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
