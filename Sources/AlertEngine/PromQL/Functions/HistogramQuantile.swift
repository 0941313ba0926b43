/// `histogram_quantile` over the `le` buckets of one classic histogram (Prometheus'
/// `BucketQuantile` in promql/quantile.go).
enum HistogramQuantile {
    /// Relative difference between neighbouring cumulative counts that is taken for a
    /// floating-point artefact (e.g. of summing rates) and silently evened out.
    static let smallDeltaTolerance = 1e-12

    /// The quantile, interpolated linearly inside the bucket it falls in. Rules, in order:
    /// NaN `q` → NaN, q < 0 → -Inf, q > 1 → +Inf; no `+Inf` bucket → NaN; buckets with the same
    /// bound are added up; counts are made non-decreasing; fewer than two buckets or no
    /// observations → NaN. The lowest bucket starts at 0 when its bound is positive (and its
    /// bound is the answer when it is not); a quantile in the `+Inf` bucket is the second
    /// highest bound.
    static func bucketQuantile(_ q: Double, buckets: [(upperBound: Double, count: Double)]) -> Double {
        bucketQuantileReportingCorrections(q, buckets: buckets).value
    }

    /// As `bucketQuantile`, also telling whether counts had to be raised to keep them
    /// non-decreasing (Prometheus reports that as an info annotation) and whether tiny
    /// differences were evened out.
    static func bucketQuantileReportingCorrections(
        _ q: Double, buckets input: [(upperBound: Double, count: Double)]
    ) -> (value: Double, forcedMonotonic: Bool, fixedPrecision: Bool) {
        if q.isNaN { return (.nan, false, false) }
        if q < 0 { return (-.infinity, false, false) }
        if q > 1 { return (.infinity, false, false) }
        guard !input.isEmpty else { return (.nan, false, false) }

        var buckets = input.sorted { $0.upperBound < $1.upperBound }
        guard let highest = buckets.last, highest.upperBound == .infinity else { return (.nan, false, false) }
        coalesce(&buckets)
        let (forcedMonotonic, fixedPrecision) = ensureMonotonic(&buckets)

        guard buckets.count >= 2 else { return (.nan, false, false) }
        let observations = buckets[buckets.count - 1].count
        if observations == 0 { return (.nan, false, false) }

        var rank = q * observations
        let index = firstIndex(below: buckets.count - 1) { buckets[$0].count >= rank }
        if index == buckets.count - 1 {
            return (buckets[buckets.count - 2].upperBound, forcedMonotonic, fixedPrecision)
        }
        if index == 0, buckets[0].upperBound <= 0 {
            return (buckets[0].upperBound, forcedMonotonic, fixedPrecision)
        }
        var bucketStart = 0.0
        let bucketEnd = buckets[index].upperBound
        var count = buckets[index].count
        if index > 0 {
            bucketStart = buckets[index - 1].upperBound
            count -= buckets[index - 1].count
            rank -= buckets[index - 1].count
        }
        return (bucketStart + (bucketEnd - bucketStart) * (rank / count), forcedMonotonic, fixedPrecision)
    }

    /// Merges neighbours with equal bounds (`le="0.2"` and `le="2e-1"` are one bucket).
    private static func coalesce(_ buckets: inout [(upperBound: Double, count: Double)]) {
        var last = buckets[0]
        var kept = 0
        for bucket in buckets.dropFirst() {
            if bucket.upperBound == last.upperBound {
                last.count += bucket.count
            } else {
                buckets[kept] = last
                last = bucket
                kept += 1
            }
        }
        buckets[kept] = last
        buckets.removeSubrange((kept + 1)...)
    }

    /// Cumulative counts cannot decrease; when they do (buckets scraped or recorded at
    /// slightly different times), each count is raised to the highest one before it.
    /// Differences within `smallDeltaTolerance` are evened out in either direction first.
    private static func ensureMonotonic(_ buckets: inout [(upperBound: Double, count: Double)]) -> (forced: Bool, fixedPrecision: Bool) {
        var forced = false
        var fixedPrecision = false
        var previous = buckets[0].count
        for index in buckets.indices.dropFirst() {
            let current = buckets[index].count
            if current == previous { continue }
            if almostEqual(previous, current, tolerance: smallDeltaTolerance) {
                buckets[index].count = previous
                fixedPrecision = true
                continue
            }
            if current < previous {
                buckets[index].count = previous
                forced = true
                continue
            }
            previous = current
        }
        return (forced, fixedPrecision)
    }

    /// Prometheus' `almost.Equal`: a relative comparison, absolute near zero.
    static func almostEqual(_ a: Double, _ b: Double, tolerance: Double) -> Bool {
        if a.isNaN, b.isNaN { return true }
        if a == b { return true }
        let absoluteSum = Swift.abs(a) + Swift.abs(b)
        let difference = Swift.abs(a - b)
        if a == 0 || b == 0 || absoluteSum < Double.leastNormalMagnitude {
            return difference < tolerance * Double.leastNormalMagnitude
        }
        return difference / Swift.min(absoluteSum, Double.greatestFiniteMagnitude) < tolerance
    }

    /// Go's `sort.Search`: the smallest index in `0..<n` where `predicate` holds, assuming
    /// it holds from some index on; `n` when it never does. The same bisection as Go's, so
    /// that odd inputs (NaN counts) land on the same bucket.
    private static func firstIndex(below n: Int, where predicate: (Int) -> Bool) -> Int {
        var low = 0
        var high = n
        while low < high {
            let middle = Int(UInt(low + high) >> 1)
            if !predicate(middle) {
                low = middle + 1
            } else {
                high = middle
            }
        }
        return low
    }
}
