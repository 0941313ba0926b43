import MetricStore

/// One element of an instant vector: a series' labels and its value at `timestamp` (ms),
/// the evaluation time.
public struct VectorSample: Sendable, Hashable {
    public var labels: Labels
    public var value: Double
    public var timestamp: Int64

    public init(labels: Labels, value: Double, timestamp: Int64) {
        self.labels = labels
        self.value = value
        self.timestamp = timestamp
    }
}

/// One series of a range vector or of a range query's result, points in time order.
public struct RangeSeries: Sendable, Hashable {
    public var labels: Labels
    public var points: [Sample]

    public init(labels: Labels, points: [Sample]) {
        self.labels = labels
        self.points = points
    }
}

/// The result of an instant query, typed as PromQL types it.
public enum QueryValue: Sendable, Hashable {
    /// A scalar at the query time.
    case scalar(Double)
    case vector([VectorSample])
    /// What a bare range selector or subquery returns.
    case matrix([RangeSeries])
    case string(String)
}
