import MetricStore

/// How many API queries run at once (`query.max_concurrency`) and how many may wait for a
/// turn (`query.max_queued`). A query beyond both is refused at once: a flood costs its sender
/// a quick 503 instead of costing everyone memory and latency. Waiters are served in arrival
/// order. The limits are read at each admission, so a reload changes them for the next query.
final class QueryAdmission: Sendable {
    private struct State {
        var running = 0
        var waiting: [CheckedContinuation<Void, Never>] = []
    }

    private let state = Locked(State())

    init() {}

    /// Waits for a turn; throws `unavailable` when `maxRunning` run and `maxQueued` already wait.
    /// Every successful call must be matched by one `release()`.
    func acquire(maxRunning: Int, maxQueued: Int) async throws(APIError) {
        enum Decision { case run, refuse }
        let immediate: Decision? = state.withLock { state in
            if state.running < maxRunning && state.waiting.isEmpty {
                state.running += 1
                return .run
            }
            return state.waiting.count >= maxQueued ? .refuse : nil
        }
        switch immediate {
        case .run:
            return
        case .refuse:
            throw APIError(
                .unavailable, "too many concurrent queries: \(maxRunning) running and \(maxQueued) waiting (query.max_concurrency, query.max_queued)")
        case nil:
            // The slot is handed over by `release()`, which counts it as running for us.
            await withCheckedContinuation { continuation in
                let runNow = state.withLock { state in
                    if state.running < maxRunning && state.waiting.isEmpty {
                        state.running += 1
                        return true
                    }
                    state.waiting.append(continuation)
                    return false
                }
                if runNow { continuation.resume() }
            }
        }
    }

    func release() {
        let next: CheckedContinuation<Void, Never>? = state.withLock { state in
            if state.waiting.isEmpty {
                state.running -= 1
                return nil
            }
            return state.waiting.removeFirst()
        }
        next?.resume()
    }

    /// Queries running and waiting now.
    var load: (running: Int, waiting: Int) { state.withLock { ($0.running, $0.waiting.count) } }
}
