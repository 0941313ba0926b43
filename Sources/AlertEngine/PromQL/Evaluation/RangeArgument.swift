import MetricStore

/// The range-vector argument of a function: each series' samples for all steps, and per
/// step the reference time whose window `(reference - range, reference]` the function sees.
struct RangeArgument {
    var series: [SeriesSamples]
    let range: Int64
    let referenceTimes: [Int64]
    /// What `absent_over_time` reports when nothing matches: from a selector's equality
    /// matchers, none for a subquery.
    let absentLabels: Labels

    /// The samples of each series in the first step's window: a range vector as an instant
    /// query's result. Series without samples there are left out.
    func seriesAtFirstStep(windowStart: WindowStart) -> [RangeSeries] {
        guard let reference = referenceTimes.first else { return [] }
        let oldest = windowStart.firstIncludedTimestamp(after: reference - range)
        return series.compactMap { entry in
            let lower = entry.samples.firstIndex(withTimestampAtLeast: oldest)
            let upper = entry.samples.firstIndex(withTimestampAbove: reference)
            return lower < upper ? RangeSeries(labels: entry.labels, points: Array(entry.samples[lower..<upper])) : nil
        }
    }
}
