/// One Prometheus histogram's state: a count per bucket (not cumulative; the last is `+Inf`),
/// the sum and the count. The bounds live with the tally, shared by all its histograms.
struct AccessLogHistogram: Equatable, Sendable {
    private(set) var buckets: [Double]
    private(set) var sum: Double = 0
    private(set) var count: Double = 0

    init(boundCount: Int) {
        buckets = [Double](repeating: 0, count: boundCount + 1)
    }

    /// `bounds` ascending, as validated by the config loader.
    mutating func observe(_ value: Double, bounds: [Double]) {
        var index = 0
        // Few bounds (about a dozen): a linear scan beats a binary search here.
        while index < bounds.count, value > bounds[index] { index += 1 }
        buckets[index] += 1
        sum += value
        count += 1
    }

    /// The cumulative counts per bound, then `+Inf`, as `_bucket{le}` reports them.
    func cumulative() -> [Double] {
        var running = 0.0
        return buckets.map { count in
            running += count
            return running
        }
    }
}
