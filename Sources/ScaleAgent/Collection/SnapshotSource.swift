import NIOConcurrencyHelpers

/// Hands out the latest collection and makes a new one when it is too old. Concurrent callers
/// that find it stale share one collection instead of each starting their own, so a burst of
/// scrapes costs one collection, and scheduled collections and scrapes never overlap.
public final class SnapshotSource: Sendable {
    public typealias Collect = @Sendable () async -> [MetricFamily]
    public typealias Clock = @Sendable () -> (monotonic: ContinuousClock.Instant, unixMilliseconds: Int64)

    private struct State {
        var latest: MetricsSnapshot?
        var collecting = false
        /// Callers waiting for the collection under way.
        var waiting: [CheckedContinuation<MetricsSnapshot, Never>] = []
    }

    private let collect: Collect
    private let clock: Clock
    private let state = NIOLockedValueBox(State())

    public init(clock: @escaping Clock = SnapshotSource.systemClock, collect: @escaping Collect) {
        self.collect = collect
        self.clock = clock
    }

    /// The latest snapshot if it is no older than `maxAge`; never waits.
    public func fresh(maxAge: Duration) -> MetricsSnapshot? {
        guard let latest = state.withLockedValue({ $0.latest }) else { return nil }
        return latest.age(now: clock().monotonic) <= maxAge ? latest : nil
    }

    public var latest: MetricsSnapshot? { state.withLockedValue { $0.latest } }

    /// A snapshot no older than `maxAge`: the latest one, or a new collection that concurrent
    /// callers share.
    public func snapshot(maxAge: Duration) async -> MetricsSnapshot {
        if let fresh = fresh(maxAge: maxAge) { return fresh }
        return await refresh()
    }

    /// Joins the collection under way, or makes one in the calling task, which the callers
    /// arriving meanwhile wait for. (A task of its own per collection cost a task and a thread
    /// wake-up; nothing in a collection stops at a cancellation, so the caller's is harmless.)
    public func refresh() async -> MetricsSnapshot {
        let leads = state.withLockedValue { state -> Bool in
            guard !state.collecting else { return false }
            state.collecting = true
            return true
        }
        guard leads else {
            return await withCheckedContinuation { continuation in
                let finished = state.withLockedValue { state -> MetricsSnapshot? in
                    // The collection may have ended since: its snapshot is the latest.
                    guard state.collecting else { return state.latest }
                    state.waiting.append(continuation)
                    return nil
                }
                if let finished { continuation.resume(returning: finished) }
            }
        }
        let families = await collect()
        let now = clock()
        let snapshot = MetricsSnapshot(
            families: families, collectedAt: now.monotonic, timestampMilliseconds: now.unixMilliseconds)
        let waiting = state.withLockedValue { state in
            state.latest = snapshot
            state.collecting = false
            defer { state.waiting = [] }
            return state.waiting
        }
        for continuation in waiting { continuation.resume(returning: snapshot) }
        return snapshot
    }

    public static let systemClock: Clock = {
        (ContinuousClock.now, UnixTime.nowMilliseconds())
    }
}
