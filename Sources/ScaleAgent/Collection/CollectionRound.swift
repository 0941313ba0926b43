import NIOConcurrencyHelpers
import Synchronization

/// One collection's rendezvous: the workers take the collectors to run from its queue, each
/// reports into its slot, and whoever completes the round — the last collector to finish, or
/// the deadline (`RoundDeadlines`) — resumes the waiting task once. One continuation per
/// collection, not one per collector, and one lock taken per collector: the runner's own
/// overhead counts against the agent's CPU budget.
final class CollectionRound: Sendable {
    typealias Slot = Result<[MetricFamily], any Error>

    private struct State {
        var slots: [Slot?]
        var durations: [Double]
        var remaining: Int
        var continuation: CheckedContinuation<[Slot?], Never>?
        var finished = false
    }
    private let state: NIOLockedValueBox<State>
    /// The collectors left to start, taken from the front without a lock.
    private let queue: [Int]
    private let nextInQueue = Atomic<Int>(0)

    /// A round of `count` collectors, of which those in `queue` are to be run (the others
    /// are completed by the caller, as skipped).
    init(count: Int, queue: [Int] = []) {
        state = NIOLockedValueBox(
            State(slots: Array(repeating: nil, count: count), durations: Array(repeating: 0, count: count), remaining: count))
        self.queue = queue
    }

    /// The next collector to run, or nil when every one has been taken.
    func next() -> Int? {
        let position = nextInQueue.wrappingAdd(1, ordering: .relaxed).oldValue
        return position < queue.count ? queue[position] : nil
    }

    /// Ends the queue: the collectors no worker has taken yet, which no worker will take now.
    func closeQueue() -> ArraySlice<Int> {
        let taken = nextInQueue.exchange(queue.count, ordering: .relaxed)
        return taken < queue.count ? queue[taken...] : []
    }

    /// How long each collector that reported took, in seconds (0 for the others).
    var durations: [Double] { state.withLockedValue { $0.durations } }

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

    func complete(_ index: Int, with result: Slot, seconds: Double = 0) {
        let resume = state.withLockedValue { state -> (CheckedContinuation<[Slot?], Never>?, [Slot?]) in
            state.durations[index] = seconds
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
