import AlertEngine
import Testing

@Suite struct AlertInstanceTests {
    /// Runs one instance through evaluations every minute; `active` is the expression's answer
    /// at each step. Returns the state after each step.
    private func run(
        _ active: [Bool], holdFor: Duration, keepFiringFor: Duration = .zero, from start: AlertInstance = AlertInstance()
    ) -> [AlertState] {
        var alert = start
        return active.enumerated().map { minute, isActive in
            alert.step(isActive: isActive, now: .seconds(60 * minute), holdFor: holdFor, keepFiringFor: keepFiringFor)
            return alert.state
        }
    }

    @Test func pendingForTheHoldDurationThenFiringThenResolved() {
        #expect(
            run([false, true, true, true, true, false], holdFor: .seconds(120))
                == [.inactive, .pending, .pending, .firing, .firing, .inactive])
    }

    @Test func zeroForFiresAtOnce() {
        #expect(run([true, false], holdFor: .zero) == [.firing, .inactive])
    }

    @Test func pendingThatGoesAwayStartsOver() {
        #expect(
            run([true, true, false, true, true, true], holdFor: .seconds(120))
                == [.pending, .pending, .inactive, .pending, .pending, .firing])
    }

    @Test func keepFiringForHoldsThroughAGap() {
        #expect(
            run([true, false, false, false], holdFor: .zero, keepFiringFor: .seconds(120))
                == [.firing, .firing, .firing, .inactive])
    }

    @Test func resolvedTimeIsRecorded() {
        var alert = AlertInstance()
        alert.step(isActive: true, now: .seconds(0), holdFor: .zero)
        alert.step(isActive: false, now: .seconds(60), holdFor: .zero)
        #expect(alert.state == .inactive)
        #expect(alert.resolvedAt == .seconds(60))
        #expect(alert.firedAt == .seconds(0))
    }

    @Test func restoredPendingKeepsItsStart() {
        // Pending since t=0 with for=5m; the agent restarts at t=2m30s and the alert still fires at 5m.
        var alert = AlertInstance(restoringActiveSince: .zero)
        alert.step(isActive: true, now: .seconds(180), holdFor: .seconds(300))
        #expect(alert.state == .pending)
        alert.step(isActive: true, now: .seconds(300), holdFor: .seconds(300))
        #expect(alert.state == .firing)
    }
}
