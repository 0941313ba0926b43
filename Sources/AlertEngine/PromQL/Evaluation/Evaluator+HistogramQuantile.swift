import MetricStore

extension Evaluator {
    /// histogram_quantile(φ, buckets): the series of one histogram are those equal in every
    /// label but `le`; their values at a step are the cumulative bucket counts. Grouping
    /// happens once per series, not per step.
    func evaluateHistogramQuantile(_ call: FunctionCall) throws(PromQLEvaluationError) -> StepVector {
        let quantiles = try evaluateScalar(try argument(call, 0))
        let input = try evaluateVector(try argument(call, 1))

        var histogramIndex: [Labels: Int] = [:]
        var histograms: [(labels: Labels, buckets: [(series: Int, upperBound: Double)])] = []
        for series in 0..<input.seriesCount {
            let labels = input.labels[series]
            // A missing or unparsable `le` makes the series no bucket; Prometheus skips it.
            guard let bound = labels["le"].flatMap(Self.parseBucketBound) else { continue }
            let identity = labels.removing("le")
            if let existing = histogramIndex[identity] {
                histograms[existing].buckets.append((series, bound))
            } else {
                histogramIndex[identity] = histograms.count
                histograms.append((identity.removing(Label.metricName), [(series, bound)]))
            }
        }

        var builder = StepVectorBuilder(stepCount: steps.count)
        var buckets: [(upperBound: Double, count: Double)] = []
        for histogram in histograms {
            let output = builder.series(for: histogram.labels)
            for step in 0..<steps.count {
                buckets.removeAll(keepingCapacity: true)
                for bucket in histogram.buckets where input.present[input.index(bucket.series, step)] {
                    buckets.append((bucket.upperBound, input.values[input.index(bucket.series, step)]))
                }
                guard !buckets.isEmpty else { continue }
                try builder.set(output, step, HistogramQuantile.bucketQuantile(quantiles[step], buckets: buckets))
            }
        }
        return builder.vector.removingEmptySeries()
    }

    /// Go's strconv.ParseFloat as the `le` label needs it: decimal or exponent notation,
    /// `+Inf`, `Inf`, `NaN`, case-insensitively.
    static func parseBucketBound(_ text: String) -> Double? {
        switch text.lowercased() {
        case "+inf", "inf", "+infinity", "infinity": return .infinity
        case "-inf", "-infinity": return -.infinity
        case "nan": return .nan
        default: return Double(text)
        }
    }
}
