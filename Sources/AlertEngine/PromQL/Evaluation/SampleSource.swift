import MetricStore

/// Where the query engine reads samples from: the only way it sees storage.
///
/// `select` returns every series matching all matchers with its samples in
/// `[minTime, maxTime]`, in time order. Samples may include Prometheus stale markers
/// (`StaleMarker.isStale`); the engine interprets them.
public protocol SampleSource: Sendable {
    func select(_ matchers: [LabelMatcher], minTime: Int64, maxTime: Int64) throws -> [SeriesSamples]
}
