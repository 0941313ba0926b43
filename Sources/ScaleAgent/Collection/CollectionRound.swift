import NIOConcurrencyHelpers

/// One collection's rendezvous: each collector's thread reports into its slot, and whoever
/// completes the round — the last collector to finish, or the deadline — resumes the waiting
/// task once. One continuation and one timer per collection, not one per collector: the
/// runner's own overhead counts against the agent's CPU budget.
final class CollectionRound: Sendable {
    typealias Slot = Result<[MetricFamily], any Error>

    private struct State {
        var slots: [Slot?]
        var remaining: Int
        var continuation: CheckedContinuation<[Slot?], Never>?
        var finished = false
    }
    private let state: NIOLockedValueBox<State>

    init(count: Int) {
        state = NIOLockedValueBox(State(slots: Array(repeating: nil, count: count), remaining: count))
    }

    /// Suspends until every slot is filled or `expire()` is called; unfilled slots are nil.
    func wait() async -> [Slot?] {
        await withCheckedContinuation { continuation in
            let ready: [Slot?]? = state.withLockedValue { state in
                if state.finished { return state.slots }
                state.continuation = continuation
                return nil
            }
            if let ready { continuation.resume(returning: ready) }
        }
    }

    func complete(_ index: Int, with result: Slot) {
        let resume = state.withLockedValue { state -> (CheckedContinuation<[Slot?], Never>?, [Slot?]) in
            guard !state.finished else { return (nil, []) }
            state.slots[index] = result
            state.remaining -= 1
            guard state.remaining == 0 else { return (nil, []) }
            return Self.finish(&state)
        }
        resume.0?.resume(returning: resume.1)
    }

    /// The deadline: the round ends with whatever has reported.
    func expire() {
        let resume = state.withLockedValue { state -> (CheckedContinuation<[Slot?], Never>?, [Slot?]) in
            state.finished ? (nil, []) : Self.finish(&state)
        }
        resume.0?.resume(returning: resume.1)
    }

    private static func finish(_ state: inout State) -> (CheckedContinuation<[Slot?], Never>?, [Slot?]) {
        state.finished = true
        let continuation = state.continuation
        state.continuation = nil
        return (continuation, state.slots)
    }
}
