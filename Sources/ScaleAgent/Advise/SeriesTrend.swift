import MetricStore

/// What advise needs to know of one series over the window: its extremes and when they
/// happened, where it started and ended, and its trend — the least-squares slope that PromQL's
/// `deriv` computes, from which `predict_linear` extrapolates.
struct SeriesTrend: Sendable, Equatable {
    var points: [Sample]

    /// nil for a series without points.
    init?(_ points: [Sample]) {
        let finite = points.filter { $0.value.isFinite }
        guard !finite.isEmpty else { return nil }
        self.points = finite
    }

    var first: Sample { points[0] }
    var last: Sample { points[points.count - 1] }
    var minimum: Sample { points.min { $0.value < $1.value }! }
    var maximum: Sample { points.max { $0.value < $1.value }! }

    /// Per second, as `deriv` over the whole window; nil with fewer than two points.
    var slope: Double? {
        guard points.count >= 2 else { return nil }
        // Centred on the first time, as Prometheus does, so that milliseconds since 1970 do not
        // swamp the differences in the sums.
        let origin = points[0].timestamp
        let n = Double(points.count)
        var sumX = 0.0, sumY = 0.0, sumXY = 0.0, sumXX = 0.0
        for point in points {
            let x = Double(point.timestamp - origin) / 1000
            sumX += x
            sumY += point.value
            sumXY += x * point.value
            sumXX += x * x
        }
        let covariance = sumXY - sumX * sumY / n
        let variance = sumXX - sumX * sumX / n
        guard variance > 0 else { return nil }
        return covariance / variance
    }

    /// Seconds after the last point at which the trend line reaches `threshold` (`predict_linear`
    /// solved for the time), 0 if the last value is already past it; nil when the trend leads
    /// away from it or is flat.
    func secondsUntil(_ threshold: Double, rising: Bool) -> Double? {
        if rising ? last.value >= threshold : last.value <= threshold { return 0 }
        guard let slope, rising ? slope > 0 : slope < 0 else { return nil }
        // From the fitted line's value at the last point, not the last sample, so that one noisy
        // sample does not move the forecast.
        let origin = points[0].timestamp
        let n = Double(points.count)
        let meanX = points.reduce(0.0) { $0 + Double($1.timestamp - origin) / 1000 } / n
        let meanY = points.reduce(0.0) { $0 + $1.value } / n
        let fittedLast = meanY + slope * (Double(last.timestamp - origin) / 1000 - meanX)
        let seconds = (threshold - fittedLast) / slope
        return seconds > 0 ? seconds : 0
    }

    /// How long, in milliseconds, the series was at or past `threshold`, counting each point as
    /// one `step`.
    func duration(atOrAbove threshold: Double, step: Int64) -> Int64 {
        Int64(points.count { $0.value >= threshold }) * step
    }

    /// The first point at or past `threshold`.
    func firstReaching(_ threshold: Double, rising: Bool) -> Sample? {
        points.first { rising ? $0.value >= threshold : $0.value <= threshold }
    }

    /// The value `milliseconds` before `time` (the nearest point at or before it), for "fell
    /// from X to Y in 20 minutes".
    func value(before time: Int64, by milliseconds: Int64) -> Sample? {
        points.last { $0.timestamp <= time - milliseconds } ?? points.first
    }
}
