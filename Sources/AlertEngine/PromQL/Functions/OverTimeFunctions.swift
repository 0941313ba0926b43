import MetricStore

/// The `*_over_time` aggregations, `resets` and `changes` over the float samples of one
/// series in one range window. Callers pass at least one sample.
enum OverTimeFunctions {
    /// How often the value dropped (each drop is a counter reset).
    static func resets(_ samples: ArraySlice<Sample>) -> Double {
        var count = 0
        var previous = samples.first?.value ?? 0
        for index in (samples.startIndex + 1)..<max(samples.endIndex, samples.startIndex + 1) {
            let value = samples[index].value
            if value < previous { count += 1 }
            previous = value
        }
        return Double(count)
    }

    /// How often the value differed from the one before; NaN followed by NaN is no change.
    static func changes(_ samples: ArraySlice<Sample>) -> Double {
        var count = 0
        var previous = samples.first?.value ?? 0
        for index in (samples.startIndex + 1)..<max(samples.endIndex, samples.startIndex + 1) {
            let value = samples[index].value
            if value != previous, !(value.isNaN && previous.isNaN) { count += 1 }
            previous = value
        }
        return Double(count)
    }

    /// The mean, as Prometheus computes it since the switch to direct mean calculation
    /// (prometheus/prometheus#16714): a compensated sum divided by the count, which is the
    /// more accurate method, falling back to a compensated incremental mean only once the
    /// running sum would overflow.
    static func avgOverTime(_ samples: ArraySlice<Sample>) -> Double {
        guard let first = samples.first else { return .nan }
        var sum = first.value
        var count = 1.0
        var mean = 0.0
        var c = 0.0
        var isIncremental = false
        for sample in samples.dropFirst() {
            count += 1
            if !isIncremental {
                let (newSum, newC) = KahanSum.kahanSumInc(sample.value, sum, c)
                if !newSum.isInfinite {
                    (sum, c) = (newSum, newC)
                    continue
                }
                isIncremental = true
                mean = sum / (count - 1)
                c /= count - 1
            }
            let q = (count - 1) / count
            (mean, c) = KahanSum.kahanSumInc(sample.value / count, q * mean, q * c)
        }
        if isIncremental { return mean + c }
        return sum / count + c / count
    }

    /// The smallest value; NaN only when every value is NaN.
    static func minOverTime(_ samples: ArraySlice<Sample>) -> Double {
        var result = samples.first?.value ?? .nan
        for sample in samples where sample.value < result || result.isNaN {
            result = sample.value
        }
        return result
    }

    /// The largest value; NaN only when every value is NaN.
    static func maxOverTime(_ samples: ArraySlice<Sample>) -> Double {
        var result = samples.first?.value ?? .nan
        for sample in samples where sample.value > result || result.isNaN {
            result = sample.value
        }
        return result
    }

    /// The compensated sum.
    static func sumOverTime(_ samples: ArraySlice<Sample>) -> Double {
        var sum = 0.0
        var c = 0.0
        for sample in samples {
            KahanSum.add(sample.value, to: &sum, compensation: &c)
        }
        return KahanSum.value(sum, c)
    }

    static func countOverTime(_ samples: ArraySlice<Sample>) -> Double {
        Double(samples.count)
    }

    static func lastOverTime(_ samples: ArraySlice<Sample>) -> Double {
        samples.last?.value ?? .nan
    }

    /// The φ-quantile of the values (see `Quantile.quantile`).
    static func quantileOverTime(_ q: Double, _ samples: ArraySlice<Sample>) -> Double {
        var values: [Double] = []
        return quantileOverTime(q, samples, scratch: &values)
    }

    /// As `quantileOverTime(_:_:)`, sorting in `scratch` so that a caller evaluating many
    /// series or steps allocates once.
    static func quantileOverTime(_ q: Double, _ samples: ArraySlice<Sample>, scratch: inout [Double]) -> Double {
        scratch.removeAll(keepingCapacity: true)
        scratch.reserveCapacity(samples.count)
        for sample in samples { scratch.append(sample.value) }
        return Quantile.quantile(q, &scratch)
    }

    /// Population variance, by Welford's method with compensated sums, as Prometheus.
    static func stdvarOverTime(_ samples: ArraySlice<Sample>) -> Double {
        var count = 0.0
        var mean = 0.0, cMean = 0.0
        var aux = 0.0, cAux = 0.0
        for sample in samples {
            count += 1
            let delta = sample.value - (mean + cMean)
            (mean, cMean) = KahanSum.kahanSumInc(delta / count, mean, cMean)
            (aux, cAux) = KahanSum.kahanSumInc(delta * (sample.value - (mean + cMean)), aux, cAux)
        }
        return (aux + cAux) / count
    }

    /// Population standard deviation.
    static func stddevOverTime(_ samples: ArraySlice<Sample>) -> Double {
        stdvarOverTime(samples).squareRoot()
    }
}
