import AlertEngine
import MetricStore
import Synchronization

/// The store as one API query sees it: every `select` counts the samples it returns against
/// `query.max_samples` and checks the query's deadline, so that an expensive query stops at its
/// next read of the store instead of running on. The evaluator turns the thrown error into a
/// source error; the caller asks `exceeded` which limit it was.
///
/// Samples are counted as loaded, over the whole query: a bound on what the query reads, a
/// little stricter than Prometheus' peak of samples held at once.
final class QueryBudget: SampleSource, Sendable {
    enum Limit: UInt8 {
        case none, samples, deadline
    }

    struct Exceeded: Error, CustomStringConvertible {
        let limit: Limit
        var description: String { limit == .samples ? "too many samples" : "deadline passed" }
    }

    private let store: any SampleSource
    let maxSamples: Int
    let deadline: ContinuousClock.Instant
    private let loaded = Atomic<Int>(0)
    private let hit = Atomic<UInt8>(Limit.none.rawValue)

    init(store: any SampleSource, maxSamples: Int, deadline: ContinuousClock.Instant) {
        self.store = store
        self.maxSamples = maxSamples
        self.deadline = deadline
    }

    /// Samples loaded so far.
    var samples: Int { loaded.load(ordering: .relaxed) }

    /// The limit that stopped the query, if one did.
    var exceeded: Limit { Limit(rawValue: hit.load(ordering: .relaxed)) ?? .none }

    func select(_ matchers: [LabelMatcher], minTime: Int64, maxTime: Int64) throws -> [SeriesSamples] {
        try check()
        let selected = try store.select(matchers, minTime: minTime, maxTime: maxTime)
        var count = 0
        for series in selected { count += series.samples.count }
        if loaded.add(count, ordering: .relaxed).newValue > maxSamples { try stop(.samples) }
        try check()
        return selected
    }

    /// `select`'s counting as the series come: the query stops at the series that goes over
    /// the limit or finds the deadline passed, without decoding the rest.
    func forEachSeries(
        _ matchers: [LabelMatcher], minTime: Int64, maxTime: Int64, _ body: (Labels, [Sample]) throws -> Void
    ) throws {
        try check()
        try store.forEachSeries(matchers, minTime: minTime, maxTime: maxTime) { labels, samples in
            if loaded.add(samples.count, ordering: .relaxed).newValue > maxSamples { try stop(.samples) }
            try check()
            try body(labels, samples)
        }
    }

    /// Checks the deadline between the steps of work that do not read the store.
    func check() throws {
        if ContinuousClock.now >= deadline { try stop(.deadline) }
    }

    private func stop(_ limit: Limit) throws -> Never {
        hit.store(limit.rawValue, ordering: .relaxed)
        throw Exceeded(limit: limit)
    }
}
