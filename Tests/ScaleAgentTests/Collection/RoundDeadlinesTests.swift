import Testing

@testable import ScaleAgent

@Suite struct RoundDeadlinesTests {
    @Test(.timeLimit(.minutes(1)))
    func aRoundStillRunningAtItsDeadlineEnds() async {
        let deadlines = RoundDeadlines(timeout: .milliseconds(50))
        let round = CollectionRound(count: 2)
        round.complete(0, with: .success([]))
        deadlines.watch(round)
        let slots = await round.wait()
        #expect(slots.count == 2)
        #expect(slots[0] != nil)
        #expect(slots[1] == nil)
    }

    /// The one timer is set for the first round's deadline; that round finishes in time, and
    /// the round behind it, still running when the timer fires, must get a timer of its own.
    @Test(.timeLimit(.minutes(1)))
    func aRoundBehindOneThatFinishedIsStillEnded() async throws {
        let deadlines = RoundDeadlines(timeout: .milliseconds(200))
        let finished = CollectionRound(count: 1)
        deadlines.watch(finished)
        finished.complete(0, with: .success([]))
        deadlines.finished(finished)
        try await Task.sleep(for: .milliseconds(100))
        let stuck = CollectionRound(count: 1)
        deadlines.watch(stuck)
        let started = ContinuousClock.now
        let slots = await stuck.wait()
        #expect(slots.count == 1 && slots[0] == nil)
        // Not ended early by the first round's timer (at about 100 ms from its watch).
        #expect(ContinuousClock.now - started >= .milliseconds(200))
    }

    /// Back-to-back collections finish long before the timeout: they leave no trace behind.
    @Test func roundsFinishedInTimeLeaveTheList() {
        let deadlines = RoundDeadlines(timeout: .seconds(10))
        let rounds = (0..<20).map { _ in CollectionRound(count: 1) }
        for round in rounds { deadlines.watch(round) }
        #expect(deadlines.pendingCount == 20)
        for round in rounds.reversed() { deadlines.finished(round) }
        #expect(deadlines.pendingCount == 0)
    }
}
