import MetricStore

/// `rate`, `increase`, `delta`, `irate` and `idelta` over the float samples of one series in
/// one range window, with Prometheus' extrapolation rules (promql/functions.go).
enum RateFunctions {
    /// `rate` (counter, per second), `increase` (counter) and `delta` (gauge).
    ///
    /// The difference between the first and last sample, with every counter reset adding the
    /// value before the drop, is stretched to the window's edges: fully when the first/last
    /// sample lies within 1.1 average sample intervals of its edge, otherwise by half an
    /// interval only (the series probably started or ended inside the window). A counter is
    /// never extrapolated below zero at the start. `nil` with fewer than two samples.
    ///
    /// `withoutResets`: the caller knows that no value in the window drops below the one
    /// before it, so the reset scan would add nothing.
    static func extrapolatedRate(
        _ samples: ArraySlice<Sample>, rangeStart: Int64, rangeEnd: Int64, isCounter: Bool, isRate: Bool,
        withoutResets: Bool = false
    ) -> Double? {
        guard samples.count >= 2, let first = samples.first, let last = samples.last else { return nil }

        var result = last.value - first.value
        if isCounter && !withoutResets {
            // Indices, not `dropFirst()`: the slice copy costs a retain and release on every
            // window, a quarter of a `rate` query's time.
            var previous = first.value
            var index = samples.startIndex + 1
            while index < samples.endIndex {
                let value = samples[index].value
                if value < previous { result += previous }
                previous = value
                index += 1
            }
        }

        var durationToStart = Double(first.timestamp - rangeStart) / 1000
        var durationToEnd = Double(rangeEnd - last.timestamp) / 1000
        let sampledInterval = Double(last.timestamp - first.timestamp) / 1000
        let averageInterval = sampledInterval / Double(samples.count - 1)
        let extrapolationThreshold = averageInterval * 1.1

        if durationToStart >= extrapolationThreshold {
            durationToStart = averageInterval / 2
        }
        if isCounter, result > 0, first.value >= 0 {
            // Where the counter, rising at this slope, would have been zero.
            let durationToZero = sampledInterval * (first.value / result)
            if durationToZero < durationToStart { durationToStart = durationToZero }
        }
        if durationToEnd >= extrapolationThreshold {
            durationToEnd = averageInterval / 2
        }

        var factor = (sampledInterval + durationToStart + durationToEnd) / sampledInterval
        if isRate { factor /= rangeSeconds(rangeEnd - rangeStart) }
        return result * factor
    }

    /// `irate` (`isRate`, per second, a drop counts as a reset to zero) and `idelta` (plain
    /// difference) from the last two samples. `nil` with fewer than two samples or when the
    /// two share a timestamp.
    static func instantValue(_ samples: ArraySlice<Sample>, isRate: Bool) -> Double? {
        guard samples.count >= 2 else { return nil }
        let last = samples[samples.endIndex - 1]
        let previous = samples[samples.endIndex - 2]
        let interval = last.timestamp - previous.timestamp
        guard interval != 0 else { return nil }

        // After a reset the counter restarted from zero, so the increase is the last value.
        // A NaN compares false and therefore takes the subtraction, as in Prometheus.
        var result = isRate && last.value < previous.value ? last.value : last.value - previous.value
        if isRate { result /= Double(interval) / 1000 }
        return result
    }

    /// Seconds of a millisecond duration, computed as Go's `time.Duration.Seconds()` does
    /// (whole seconds plus the fraction) so that results match Prometheus to the last bit.
    static func rangeSeconds(_ milliseconds: Int64) -> Double {
        Double(milliseconds / 1000) + Double(milliseconds % 1000) / 1000
    }
}
