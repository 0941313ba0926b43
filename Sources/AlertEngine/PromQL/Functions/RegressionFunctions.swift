import MetricStore

/// `deriv` and `predict_linear`: a least-squares line through the samples of one window, as
/// Prometheus' `linearRegression`.
enum RegressionFunctions {
    /// Per-second slope. `nil` with fewer than two samples.
    static func deriv(_ samples: ArraySlice<Sample>) -> Double? {
        guard samples.count >= 2, let first = samples.first else { return nil }
        // Measuring time from a nearby point keeps x small and the sums precise
        // (prometheus/prometheus#2674).
        return linearRegression(samples, interceptTime: first.timestamp).slope
    }

    /// The line's value `seconds` after the evaluation time. `nil` with fewer than two samples.
    static func predictLinear(_ samples: ArraySlice<Sample>, seconds: Double, evaluationTime: Int64) -> Double? {
        guard samples.count >= 2 else { return nil }
        let line = linearRegression(samples, interceptTime: evaluationTime)
        return line.slope * seconds + line.intercept
    }

    /// Slope per second and the line's value at `interceptTime`. A constant series is a flat
    /// line exactly (the sums could otherwise leave a tiny slope), unless the constant is
    /// infinite, which has no line at all.
    static func linearRegression(_ samples: ArraySlice<Sample>, interceptTime: Int64) -> (slope: Double, intercept: Double) {
        var n = 0.0
        var sumX = 0.0, cX = 0.0
        var sumY = 0.0, cY = 0.0
        var sumXY = 0.0, cXY = 0.0
        var sumX2 = 0.0, cX2 = 0.0
        let initialY = samples.first?.value ?? .nan
        var isConstant = true
        for (index, sample) in zip(samples.indices, samples) {
            // The first sample is not compared with itself, which matters when it is NaN.
            if isConstant, index != samples.startIndex, sample.value != initialY { isConstant = false }
            n += 1
            let x = Double(sample.timestamp - interceptTime) / 1e3
            KahanSum.add(x, to: &sumX, compensation: &cX)
            KahanSum.add(sample.value, to: &sumY, compensation: &cY)
            KahanSum.add(x * sample.value, to: &sumXY, compensation: &cXY)
            KahanSum.add(x * x, to: &sumX2, compensation: &cX2)
        }
        if isConstant {
            return initialY.isInfinite ? (.nan, .nan) : (0, initialY)
        }
        sumX += cX
        sumY += cY
        sumXY += cXY
        sumX2 += cX2

        let covarianceXY = sumXY - sumX * sumY / n
        let varianceX = sumX2 - sumX * sumX / n
        let slope = covarianceXY / varianceX
        return (slope, sumY / n - slope * sumX / n)
    }
}
