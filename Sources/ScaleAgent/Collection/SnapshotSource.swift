import NIOConcurrencyHelpers

/// Hands out the latest collection and makes a new one when it is too old. Concurrent callers
/// that find it stale share one collection instead of each starting their own, so a burst of
/// scrapes costs one collection, and scheduled collections and scrapes never overlap.
public final class SnapshotSource: Sendable {
    public typealias Collect = @Sendable () async -> [MetricFamily]
    public typealias Clock = @Sendable () -> (monotonic: ContinuousClock.Instant, unixMilliseconds: Int64)

    private struct State {
        var latest: MetricsSnapshot?
        var inFlight: Task<MetricsSnapshot, Never>?
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

    /// Joins the collection under way, or starts one.
    public func refresh() async -> MetricsSnapshot {
        let task = state.withLockedValue { state -> Task<MetricsSnapshot, Never> in
            if let running = state.inFlight { return running }
            let task = Task { await self.collectOnce() }
            state.inFlight = task
            return task
        }
        return await task.value
    }

    private func collectOnce() async -> MetricsSnapshot {
        let families = await collect()
        let now = clock()
        let snapshot = MetricsSnapshot(
            families: families, collectedAt: now.monotonic, timestampMilliseconds: now.unixMilliseconds)
        state.withLockedValue { state in
            state.latest = snapshot
            state.inFlight = nil
        }
        return snapshot
    }

    public static let systemClock: Clock = {
        (ContinuousClock.now, UnixTime.nowMilliseconds())
    }
}
