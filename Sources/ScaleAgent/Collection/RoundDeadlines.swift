import NIOConcurrencyHelpers

/// Ends the collection rounds that overrun the runner's timeout, with one timer for many
/// rounds. A timer per round (a task sleeping until the deadline, cancelled when the round
/// finished first) cost a task, a timer registration and two thread wake-ups per collection.
/// Here a round only joins a list; the one timer fires at the oldest round's deadline, ends the
/// rounds due by then and, if rounds are still running, sets itself for the next one. Rounds
/// that finish in time leave the list without touching the timer, so back-to-back collections
/// wake it about once per timeout.
final class RoundDeadlines: Sendable {
    private struct Pending {
        let deadline: ContinuousClock.Instant
        let round: CollectionRound
    }
    private struct State {
        /// In deadline order: every round gets the same timeout and joins when it starts.
        var pending: [Pending] = []
        var timerSet = false
    }

    private let timeout: Duration
    private let state = NIOLockedValueBox(State())

    init(timeout: Duration) {
        self.timeout = timeout
    }

    /// Ends `round` at `timeout` from now unless `finished(_:)` is called first.
    func watch(_ round: CollectionRound) {
        let deadline = ContinuousClock.now + timeout
        state.withLockedValue { state in
            state.pending.append(Pending(deadline: deadline, round: round))
            if !state.timerSet {
                state.timerSet = true
                setTimer(until: deadline)
            }
        }
    }

    func finished(_ round: CollectionRound) {
        state.withLockedValue { state in
            if let index = state.pending.firstIndex(where: { $0.round === round }) {
                state.pending.remove(at: index)
            }
        }
    }

    /// Rounds watched and neither finished nor ended yet.
    var pendingCount: Int { state.withLockedValue { $0.pending.count } }

    /// The timer holds its owner weakly: a runner dropped at a reload is not kept alive by it.
    private func setTimer(until deadline: ContinuousClock.Instant) {
        Task { [weak self] in
            try? await Task.sleep(until: deadline, clock: .continuous)
            self?.fire()
        }
    }

    private func fire() {
        let now = ContinuousClock.now
        let due = state.withLockedValue { state -> [CollectionRound] in
            let dueCount = state.pending.prefix { $0.deadline <= now }.count
            let due = state.pending.prefix(dueCount).map(\.round)
            state.pending.removeFirst(dueCount)
            state.timerSet = !state.pending.isEmpty
            if let next = state.pending.first { setTimer(until: next.deadline) }
            return due
        }
        for round in due { round.expire() }
    }
}
