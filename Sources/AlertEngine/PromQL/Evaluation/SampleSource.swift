import MetricStore

/// Where the query engine reads samples from: the only way it sees storage.
///
/// `select` returns every series matching all matchers with its samples in
/// `[minTime, maxTime]`, in time order. Samples may include Prometheus stale markers
/// (`StaleMarker.isStale`); the engine interprets them.
public protocol SampleSource: Sendable {
    func select(_ matchers: [LabelMatcher], minTime: Int64, maxTime: Int64) throws -> [SeriesSamples]

    /// The series of `select`, in its order, handed to `body` one at a time. `samples` is
    /// only valid during the call: a source may decode each series when its turn comes and
    /// reuse the buffer, so that a selector over the whole store never holds all its
    /// samples at once. An error thrown by `body` ends the walk and is rethrown.
    func forEachSeries(
        _ matchers: [LabelMatcher], minTime: Int64, maxTime: Int64, _ body: (Labels, [Sample]) throws -> Void
    ) throws
}

extension SampleSource {
    public func forEachSeries(
        _ matchers: [LabelMatcher], minTime: Int64, maxTime: Int64, _ body: (Labels, [Sample]) throws -> Void
    ) throws {
        for series in try select(matchers, minTime: minTime, maxTime: maxTime) { try body(series.labels, series.samples) }
    }
}
