/// One target's connection and refreshes, as a pure state machine: it is told the time and
/// what happened (a refresh was asked for, the connection came up or failed, a step of queries
/// finished, the hard limit passed, the settings changed, the agent stops) and answers with
/// what to do (connect, read the server, run a step, close the connection, report). It does no
/// I/O and reads no clock, so its rules — backoff, reconnects, what runs when — are tested
/// without a server; `PostgresTargetMonitor` performs its actions. Modelled on postgres-nio's
/// connection pool state machine.
///
/// A refresh runs its steps one after the other on the one connection: first one statement with
/// every due section that is not isolated (`PostgresSectionBatch`), then each isolated section on
/// its own, pg_stat_statements last. Every event carries the refresh's id; an event of a refresh
/// that is already over (abandoned at the hard limit, cut short by a settings change) is ignored.
struct PostgresConnectionStateMachine: Sendable {
    typealias Instant = ContinuousClock.Instant

    static let initialBackoff: Duration = .seconds(1)
    static let maximumBackoff: Duration = .seconds(30)

    enum Connection: Sendable, Equatable {
        /// None open: the next refresh connects.
        case idle
        /// The last attempt failed: refreshes before `until` report the target down at once.
        case backingOff(until: Instant, lastProblem: String)
        case connecting(id: Int)
        case open(id: Int)
        /// The agent stops: nothing connects again.
        case shutDown
    }

    /// Queries run together: `batch` in one statement (the server's identity with it), `single`
    /// alone (pg_stat_statements, and sections isolated after failing in a batch).
    enum Step: Sendable, Equatable {
        case batch([PostgresSection])
        case single(PostgresSection)
    }

    enum StepOutcome: Sendable {
        case success
        case failure(PostgresProblem)
    }

    /// How a refresh ended, for the target's metrics and log.
    struct Report: Sendable {
        var refreshID: Int
        var started: Instant
        var finished: Instant
        /// Up: the server answered the refresh's queries (some sections may have failed).
        var up: Bool
        /// Why it is down.
        var problem: PostgresProblem?
        /// Whether `problem` counts as an error and is logged (a refresh refused during the
        /// backoff's wait, or cut short by a settings change or the agent's stop, is not).
        var counted = false
        /// Every applicable section: whether its data is current (read now or at its last
        /// due time) — false when it failed now or is switched off on this connection.
        var sections: [(PostgresSection, Bool)] = []
        /// Sections that failed in this refresh.
        var problems: [(PostgresSection, PostgresProblem)] = []
    }

    enum Action: Sendable {
        case none
        case connect(connectionID: Int)
        /// Read the server's identity (version, role), then report `serverRead`.
        case readServer(connectionID: Int)
        case run(Step, connectionID: Int)
        case finish(Report)
        /// Close the connection, then report; either may be absent.
        case close(connectionID: Int, then: Report?)
    }

    enum Request: Sendable {
        /// The last refresh is younger than `min_interval`: serve it.
        case reuse
        /// A refresh is running: wait for it.
        case join(refreshID: Int)
        /// A new refresh: perform `action` (on the event loop).
        case start(refreshID: Int, action: Action)
    }

    private struct Running: Sendable {
        var id: Int
        var started: Instant
        var steps: [Step] = []
        var problems: [(PostgresSection, PostgresProblem)] = []
        var ran: [PostgresSection: Bool] = [:]
    }

    private(set) var target: PostgresTarget
    private(set) var cadence: PostgresSectionCadence
    private(set) var connection: Connection = .idle
    /// Connections made, counting attempts: each attempt has its own id.
    private var attempts = 0
    /// Connections that came up.
    private(set) var connectionsOpened = 0
    private var backoff = Self.initialBackoff
    private var refreshID = 0
    private var running: Running?
    private var lastFinished: Instant?
    /// The sections that apply to the server (its version, its role, what is installed), known
    /// once it has been read on this connection.
    private(set) var applicable: [PostgresSection]?
    /// When each section last succeeded: its cadence counts from the refresh that read it.
    private var lastSuccess: [PostgresSection: Instant] = [:]
    /// Refused for good on this connection (a privilege, a missing view): skipped, reported as
    /// failing, retried after the next connect.
    private(set) var disabled: Set<PostgresSection> = []
    /// Failed in a batch and again alone: run alone from then on, so that they cost no other
    /// section its data. Cleared at the next connect.
    private(set) var isolated: Set<PostgresSection> = []

    init(target: PostgresTarget) {
        self.target = target
        self.cadence = PostgresSectionCadence(target)
    }

    var hardLimit: Duration { target.connectTimeout + target.statementTimeout * 2 }

    var isRefreshing: Bool { running != nil }

    // MARK: events

    mutating func requestRefresh(now: Instant) -> Request {
        if let running { return .join(refreshID: running.id) }
        if let lastFinished, now - lastFinished < target.minInterval { return .reuse }
        refreshID += 1
        running = Running(id: refreshID, started: now)
        switch connection {
        case .shutDown:
            return .start(refreshID: refreshID, action: .finish(down(now, problem: Self.shuttingDown, counted: false)))
        case .backingOff(let until, let last) where now < until:
            let wait = Int((until - now).seconds.rounded(.up))
            let problem = PostgresProblem(kind: .connect, message: "reconnecting in \(wait) s; last error: \(last)")
            return .start(refreshID: refreshID, action: .finish(down(now, problem: problem, counted: false)))
        case .idle, .backingOff:
            attempts += 1
            connection = .connecting(id: attempts)
            return .start(refreshID: refreshID, action: .connect(connectionID: attempts))
        case .connecting:
            preconditionFailure("BUG: connecting outside a refresh")
        case .open(let id):
            guard applicable != nil else { return .start(refreshID: refreshID, action: .readServer(connectionID: id)) }
            return .start(refreshID: refreshID, action: planSteps(now: now, connectionID: id))
        }
    }

    mutating func connected(connectionID: Int, refreshID: Int, now: Instant) -> Action {
        guard connection == .connecting(id: connectionID), running?.id == refreshID else {
            // Made for a refresh that is over, or after a settings change or the stop.
            return .close(connectionID: connectionID, then: nil)
        }
        connection = .open(id: connectionID)
        connectionsOpened += 1
        backoff = Self.initialBackoff
        disabled = []
        isolated = []
        applicable = nil
        return .readServer(connectionID: connectionID)
    }

    /// The connection (or reading its password, or setting up TLS) failed: the next attempt
    /// waits, 1 s doubling to 30 s.
    mutating func connectFailed(connectionID: Int, refreshID: Int, problem: PostgresProblem, now: Instant) -> Action {
        guard connection == .connecting(id: connectionID), running?.id == refreshID else { return .none }
        connection = .backingOff(until: now + backoff, lastProblem: problem.message)
        backoff = min(backoff * 2, Self.maximumBackoff)
        return .finish(down(now, problem: problem, counted: true))
    }

    /// The server's identity was read (at connect, or changed since: a promotion, an extension
    /// created); `applicable` are the sections that apply to it now.
    mutating func serverRead(refreshID: Int, applicable: [PostgresSection], now: Instant) -> Action {
        guard let running, running.id == refreshID, case .open(let id) = connection else { return .none }
        self.applicable = applicable
        return running.steps.isEmpty && running.ran.isEmpty ? planSteps(now: now, connectionID: id) : .none
    }

    /// The server's identity could not be read: the session is of no use.
    mutating func serverReadFailed(refreshID: Int, problem: PostgresProblem, now: Instant) -> Action {
        guard running?.id == refreshID, case .open(let id) = connection else { return .none }
        connection = .idle
        return .close(connectionID: id, then: down(now, problem: problem, counted: true))
    }

    /// Between refreshes the batch found the server changed (what applies to it now).
    mutating func serverChanged(applicable: [PostgresSection]) {
        if self.applicable != nil { self.applicable = applicable }
    }

    mutating func stepFinished(refreshID: Int, step: Step, outcome: StepOutcome, now: Instant) -> Action {
        guard var running, running.id == refreshID, case .open(let id) = connection else { return .none }
        switch outcome {
        case .success:
            for section in step.sections {
                lastSuccess[section] = running.started
                running.ran[section] = true
            }
        case .failure(let problem) where problem.losesConnection:
            // The session is gone or unusable: the next refresh starts from a new one.
            self.running = running
            connection = .idle
            return .close(connectionID: id, then: down(now, problem: problem, counted: true))
        case .failure(let problem):
            if case .batch(let sections) = step, sections.count > 1 {
                // Which one failed is learnt by running them alone, now.
                running.steps.insert(contentsOf: sections.map { .single($0) }, at: 0)
            } else {
                for section in step.sections {
                    lastSuccess[section] = nil
                    running.ran[section] = false
                    running.problems.append((section, problem))
                    if problem.isPermanentForSession {
                        disabled.insert(section)
                    } else if section != .statements {
                        isolated.insert(section)
                    }
                }
            }
        }
        self.running = running
        return next(now: now, connectionID: id)
    }

    /// The refresh has run past `connect_timeout + 2 × statement_timeout`: the server stopped
    /// answering. Its connection is dropped (pending queries fail, and find the refresh over).
    mutating func hardLimitPassed(refreshID: Int, now: Instant) -> Action {
        guard let running, running.id == refreshID else { return .none }
        let problem = PostgresProblem(
            kind: .timeout,
            message: "no answer within \(hardLimit.seconds) s (connect_timeout + 2 × statement_timeout); connection dropped")
        let report = down(now, problem: problem, counted: true)
        switch connection {
        case .open(let id), .connecting(let id):
            connection = .idle
            return .close(connectionID: id, then: report)
        default:
            return .finish(report)
        }
    }

    /// A reload changed the target's settings. Those of the session (where and how to connect,
    /// its timeouts) close the connection: the next refresh connects with the new ones, without
    /// waiting for a backoff. Cadences and limits apply from the next refresh on.
    mutating func settingsChanged(to new: PostgresTarget, now: Instant) -> Action {
        let reconnect = !new.sameSession(as: target)
        target = new
        cadence = PostgresSectionCadence(new)
        guard reconnect, connection != .shutDown else { return .none }
        backoff = Self.initialBackoff
        let report = running.map { _ in down(now, problem: Self.settingsChanged, counted: false) }
        switch connection {
        case .open(let id), .connecting(let id):
            connection = .idle
            return .close(connectionID: id, then: report)
        default:
            connection = .idle
            return report.map { .finish($0) } ?? .none
        }
    }

    /// The agent stops: the connection closes and no other is made.
    mutating func shutdown(now: Instant) -> Action {
        let report = running.map { _ in down(now, problem: Self.shuttingDown, counted: false) }
        defer { connection = .shutDown }
        switch connection {
        case .open(let id), .connecting(let id): return .close(connectionID: id, then: report)
        default: return report.map { .finish($0) } ?? .none
        }
    }

    // MARK: plans and reports

    private mutating func planSteps(now: Instant, connectionID: Int) -> Action {
        guard var running, let applicable else { return .none }
        let due = applicable.filter { !disabled.contains($0) && cadence.isDue($0, lastSuccess: lastSuccess[$0], now: now) }
        running.steps = [.batch(due.filter { $0 != .statements && !isolated.contains($0) })]
        running.steps += due.filter { $0 != .statements && isolated.contains($0) }.map { .single($0) }
        if due.contains(.statements) { running.steps.append(.single(.statements)) }
        self.running = running
        return next(now: now, connectionID: connectionID)
    }

    private mutating func next(now: Instant, connectionID: Int) -> Action {
        guard var running else { return .none }
        guard running.steps.isEmpty else {
            let step = running.steps.removeFirst()
            self.running = running
            return .run(step, connectionID: connectionID)
        }
        var report = Report(refreshID: running.id, started: running.started, finished: now, up: true)
        for section in applicable ?? [] {
            // Not read now: current as of its last due read.
            report.sections.append((section, !disabled.contains(section) && (running.ran[section] ?? (lastSuccess[section] != nil))))
        }
        report.problems = running.problems
        self.running = nil
        lastFinished = now
        return .finish(report)
    }

    private mutating func down(_ now: Instant, problem: PostgresProblem, counted: Bool) -> Report {
        let id = running?.id ?? refreshID
        let started = running?.started ?? now
        running = nil
        lastFinished = now
        return Report(refreshID: id, started: started, finished: now, up: false, problem: problem, counted: counted)
    }

    static let shuttingDown = PostgresProblem(kind: .connect, message: "the agent is shutting down")
    static let settingsChanged = PostgresProblem(kind: .connect, message: "the target's settings changed: reconnecting")
}

extension PostgresConnectionStateMachine.Step {
    var sections: [PostgresSection] {
        switch self {
        case .batch(let sections): sections
        case .single(let section): [section]
        }
    }
}

extension PostgresTarget {
    /// Whether a session opened with `other`'s settings serves this target unchanged: the same
    /// endpoint, role, database, TLS, password source and session timeouts.
    func sameSession(as other: PostgresTarget) -> Bool {
        endpoint == other.endpoint && port == other.port && user == other.user && database == other.database
            && sslMode == other.sslMode && sslRootCert == other.sslRootCert && password == other.password
            && connectTimeout == other.connectTimeout && statementTimeout == other.statementTimeout
            && lockTimeout == other.lockTimeout
    }
}
