import Testing

@testable import ScaleAgent

/// The connection's rules, driven with a made-up clock and made-up outcomes: no server.
@Suite struct PostgresConnectionStateMachineTests {
    typealias Machine = PostgresConnectionStateMachine
    static let t0 = ContinuousClock.now

    static func at(_ seconds: Double) -> ContinuousClock.Instant { t0 + .seconds(seconds) }

    static let everything: [PostgresSection] = PostgresSection.allCases.filter { $0 != .checkpointer && $0 != .standby }

    static func target(_ configure: (inout PostgresTarget) -> Void = { _ in }) -> PostgresTarget {
        var target = PostgresTarget(endpoint: .tcp(host: "db"))
        target.minInterval = .zero
        configure(&target)
        return target
    }

    /// What a refresh that succeeds throughout did: the steps it ran, how it ended.
    struct Played {
        var connected = false
        var steps: [Machine.Step] = []
        var report: Machine.Report?
    }

    /// Plays a refresh at `t`, answering every step with `outcome(step)`.
    static func play(
        _ machine: inout Machine, at t: Double, connects: Bool = true,
        outcome: (Machine.Step) -> Machine.StepOutcome = { _ in .success }
    ) -> Played {
        var played = Played()
        guard case .start(let id, var action) = machine.requestRefresh(now: at(t)) else { return played }
        while true {
            switch action {
            case .connect(let connection):
                played.connected = true
                action =
                    connects
                    ? machine.connected(connectionID: connection, refreshID: id, now: at(t))
                    : machine.connectFailed(
                        connectionID: connection, refreshID: id, problem: PostgresProblem(kind: .connect, message: "refused"), now: at(t))
            case .readServer:
                action = machine.serverRead(refreshID: id, applicable: everything, now: at(t))
            case .run(let step, _):
                played.steps.append(step)
                action = machine.stepFinished(refreshID: id, step: step, outcome: outcome(step), now: at(t))
            case .finish(let report), .close(_, let report?):
                played.report = report
                return played
            case .close(_, nil), .none:
                return played
            }
        }
    }

    static func batch(_ played: Played) -> [PostgresSection] {
        guard case .batch(let sections) = played.steps.first else { return [] }
        return sections
    }

    @Test func aRefreshConnectsReadsTheServerAndRunsOneBatchThenTheStatements() throws {
        var machine = Machine(target: Self.target())
        let played = Self.play(&machine, at: 0)
        #expect(played.connected)
        #expect(played.steps == [.batch(Self.everything.filter { $0 != .statements }), .single(.statements)])
        let report = try #require(played.report)
        #expect(report.up && report.problems.isEmpty)
        #expect(report.sections.map(\.0) == Self.everything && report.sections.allSatisfy(\.1))
        #expect(machine.connectionsOpened == 1)
        // The next refresh uses the open connection.
        #expect(!Self.play(&machine, at: 10).connected)
    }

    @Test func aRecentRefreshIsReusedAndARunningOneJoined() {
        var machine = Machine(target: Self.target { $0.minInterval = .seconds(1) })
        guard case .start(let id, _) = machine.requestRefresh(now: Self.at(0)) else { Issue.record("no start"); return }
        guard case .join(let joined) = machine.requestRefresh(now: Self.at(0.5)) else { Issue.record("no join"); return }
        #expect(joined == id)
        _ = machine.connectFailed(connectionID: 1, refreshID: id, problem: PostgresProblem(kind: .connect, message: "x"), now: Self.at(0.6))
        guard case .reuse = machine.requestRefresh(now: Self.at(1.2)) else { Issue.record("not reused"); return }
        guard case .start = machine.requestRefresh(now: Self.at(1.7)) else { Issue.record("not started"); return }
    }

    @Test func failedConnectsBackOffDoublingTo30Seconds() throws {
        var machine = Machine(target: Self.target())
        var t = 0.0
        var waits: [Double] = []
        for _ in 0..<7 {
            let played = Self.play(&machine, at: t, connects: false)
            #expect(played.connected)
            #expect(try #require(played.report).counted)
            guard case .backingOff(let until, let last) = machine.connection else { Issue.record("not backing off"); return }
            #expect(last == "refused")
            waits.append((until - Self.at(t)).seconds)
            // Refreshes during the wait are down at once, uncounted, and make no attempt.
            let waiting = Self.play(&machine, at: t + 0.5, connects: false)
            #expect(!waiting.connected)
            #expect(waiting.report?.up == false && waiting.report?.counted == false)
            #expect(waiting.report?.problem?.message.hasPrefix("reconnecting in") == true)
            t = (until - Self.t0).seconds
        }
        #expect(waits == [1, 2, 4, 8, 16, 30, 30])
        // A connect that works resets the backoff.
        #expect(Self.play(&machine, at: t).report?.up == true)
        _ = Self.play(&machine, at: t + 10, outcome: { _ in .failure(PostgresProblem(kind: .connect, message: "reset by peer")) })
        _ = Self.play(&machine, at: t + 20, connects: false)
        guard case .backingOff(let until, _) = machine.connection else { Issue.record("not backing off"); return }
        #expect(until == Self.at(t + 21))
    }

    @Test func aLostSessionIsClosedAndTheNextRefreshReconnectsAtOnce() throws {
        var machine = Machine(target: Self.target())
        _ = Self.play(&machine, at: 0)
        let lost = Self.play(&machine, at: 10) { _ in .failure(PostgresProblem(kind: .connect, message: "connection reset")) }
        let report = try #require(lost.report)
        #expect(!report.up && report.counted && report.problem?.message == "connection reset")
        #expect(machine.connection == .idle)
        let again = Self.play(&machine, at: 11)
        #expect(again.connected && again.report?.up == true)
        #expect(machine.connectionsOpened == 2)
    }

    @Test func theHardLimitDropsTheConnectionAndLateAnswersAreIgnored() throws {
        var machine = Machine(target: Self.target())
        _ = Self.play(&machine, at: 0)
        guard case .start(let id, .run(let step, let connection)) = machine.requestRefresh(now: Self.at(10)) else {
            Issue.record("no step")
            return
        }
        guard case .close(let closed, let report?) = machine.hardLimitPassed(refreshID: id, now: Self.at(25)) else {
            Issue.record("not closed")
            return
        }
        #expect(closed == connection)
        #expect(report.problem?.kind == .timeout && report.counted && !report.up)
        // The dropped connection's query fails later: that refresh is over.
        guard case .none = machine.stepFinished(refreshID: id, step: step, outcome: .success, now: Self.at(25.1)) else {
            Issue.record("late answer acted on")
            return
        }
        // A connection that comes up after its refresh was abandoned is closed at once.
        guard case .start(let next, .connect(let attempt)) = machine.requestRefresh(now: Self.at(30)) else {
            Issue.record("no connect")
            return
        }
        _ = machine.hardLimitPassed(refreshID: next, now: Self.at(45))
        guard case .close(attempt, nil) = machine.connected(connectionID: attempt, refreshID: next, now: Self.at(46)) else {
            Issue.record("late connection kept")
            return
        }
    }

    @Test func sessionSettingsReconnectOtherSettingsKeepTheConnection() {
        var machine = Machine(target: Self.target())
        _ = Self.play(&machine, at: 0)
        guard case .none = machine.settingsChanged(to: Self.target { $0.slowInterval = .seconds(300) }, now: Self.at(1)) else {
            Issue.record("closed for a cadence change")
            return
        }
        #expect(machine.cadence.interval(.tables) == .seconds(300))
        guard case .close(1, nil) = machine.settingsChanged(to: Self.target { $0.statementTimeout = .seconds(9) }, now: Self.at(2)) else {
            Issue.record("kept a connection with the old statement_timeout")
            return
        }
        #expect(Self.play(&machine, at: 3).connected)
    }

    @Test func eachSectionIsReadAtItsOwnCadence() {
        // Collections every 10 s; slow_interval 60 s (counters every 30 s); statements every 60 s (once per window).
        var machine = Machine(target: Self.target { $0.sectionIntervals = [.locks: .seconds(20)] })
        var reads: [PostgresSection: [Double]] = [:]
        for t in stride(from: 0.0, through: 120, by: 10) {
            // A collection's refresh starts a few milliseconds early or late.
            let played = Self.play(&machine, at: t + (t.truncatingRemainder(dividingBy: 20) == 0 ? 0.003 : -0.003))
            for step in played.steps {
                for section in step.sections { reads[section, default: []].append(t) }
            }
        }
        #expect(reads[.activity] == Array(stride(from: 0.0, through: 120, by: 10)))
        #expect(reads[.locks] == [0, 20, 40, 60, 80, 100, 120])
        #expect(reads[.database] == [0, 30, 60, 90, 120])
        #expect(reads[.tables] == [0, 60, 120])
        #expect(reads[.databaseSize] == [0, 60, 120])
        #expect(reads[.statements] == [0, 60, 120])
    }

    @Test func aFailingBatchIsRetriedSectionBySectionAndTheCulpritKeptApart() throws {
        var machine = Machine(target: Self.target())
        let denied = PostgresProblem(kind: .query, message: "permission denied", sqlState: "42501")
        let canceled = PostgresProblem(kind: .query, message: "canceling statement due to statement timeout", sqlState: "57014")
        let first = Self.play(&machine, at: 0) { step in
            switch step {
            case .batch: .failure(denied)
            case .single(.tables): .failure(denied)
            case .single(.databaseSize): .failure(canceled)
            case .single: .success
            }
        }
        let report = try #require(first.report)
        #expect(report.up)
        #expect(report.problems.map(\.0) == [.databaseSize, .tables])
        #expect(first.steps.count == 1 + Self.everything.count)
        #expect(Dictionary(uniqueKeysWithValues: report.sections)[.tables] == false)
        #expect(machine.disabled == [.tables] && machine.isolated == [.databaseSize])
        // From then on: the batch without them, the isolated one alone, the disabled one not at all.
        let second = Self.play(&machine, at: 10)
        #expect(!Self.batch(second).contains(.tables) && !Self.batch(second).contains(.databaseSize))
        #expect(second.steps.dropFirst() == [.single(.databaseSize)])  // failed last time: due again
        #expect(Dictionary(uniqueKeysWithValues: try #require(second.report).sections)[.tables] == false)
        // A reconnect tries everything again.
        _ = Self.play(&machine, at: 20) { _ in .failure(PostgresProblem(kind: .connect, message: "gone")) }
        let third = Self.play(&machine, at: 21)
        #expect(third.connected && Self.batch(third).contains(.tables))
    }

    @Test func shutdownClosesAndNothingConnectsAgain() throws {
        var machine = Machine(target: Self.target())
        _ = Self.play(&machine, at: 0)
        guard case .close(1, nil) = machine.shutdown(now: Self.at(5)) else {
            Issue.record("not closed")
            return
        }
        let after = Self.play(&machine, at: 10)
        #expect(!after.connected)
        let report = try #require(after.report)
        #expect(!report.up && !report.counted)
    }
}
