import MetricStore

/// The functions that reduce each series' window of a range vector to one value per step.
enum RangeFunction {
    case rate, increase, delta, irate, idelta, deriv, predictLinear, resets, changes
    case avgOverTime, minOverTime, maxOverTime, sumOverTime, countOverTime, lastOverTime
    case quantileOverTime, stddevOverTime, stdvarOverTime, presentOverTime

    init?(name: String) {
        switch name {
        case "rate": self = .rate
        case "increase": self = .increase
        case "delta": self = .delta
        case "irate": self = .irate
        case "idelta": self = .idelta
        case "deriv": self = .deriv
        case "predict_linear": self = .predictLinear
        case "resets": self = .resets
        case "changes": self = .changes
        case "avg_over_time": self = .avgOverTime
        case "min_over_time": self = .minOverTime
        case "max_over_time": self = .maxOverTime
        case "sum_over_time": self = .sumOverTime
        case "count_over_time": self = .countOverTime
        case "last_over_time": self = .lastOverTime
        case "quantile_over_time": self = .quantileOverTime
        case "stddev_over_time": self = .stddevOverTime
        case "stdvar_over_time": self = .stdvarOverTime
        case "present_over_time": self = .presentOverTime
        default: return nil
        }
    }

    /// Which argument is the range vector; the other one, if any, is a scalar parameter.
    var rangeArgumentIndex: Int { self == .quantileOverTime ? 1 : 0 }

    /// last_over_time only picks a sample, like an offset would, so the series keeps its
    /// name; every other function computes something new.
    var keepsMetricName: Bool { self == .lastOverTime }

    /// The function's value for one non-empty window `(rangeStart, rangeEnd]`, or nil when
    /// it has none (rate of a single sample).
    @inline(__always)
    func apply(
        _ window: ArraySlice<Sample>, rangeStart: Int64, rangeEnd: Int64, parameter: Double, evaluationTime: Int64
    ) -> Double? {
        switch self {
        case .rate:
            return RateFunctions.extrapolatedRate(window, rangeStart: rangeStart, rangeEnd: rangeEnd, isCounter: true, isRate: true)
        case .increase:
            return RateFunctions.extrapolatedRate(window, rangeStart: rangeStart, rangeEnd: rangeEnd, isCounter: true, isRate: false)
        case .delta:
            return RateFunctions.extrapolatedRate(window, rangeStart: rangeStart, rangeEnd: rangeEnd, isCounter: false, isRate: false)
        case .irate: return RateFunctions.instantValue(window, isRate: true)
        case .idelta: return RateFunctions.instantValue(window, isRate: false)
        case .deriv: return RegressionFunctions.deriv(window)
        case .predictLinear: return RegressionFunctions.predictLinear(window, seconds: parameter, evaluationTime: evaluationTime)
        case .resets: return OverTimeFunctions.resets(window)
        case .changes: return OverTimeFunctions.changes(window)
        case .avgOverTime: return OverTimeFunctions.avgOverTime(window)
        case .minOverTime: return OverTimeFunctions.minOverTime(window)
        case .maxOverTime: return OverTimeFunctions.maxOverTime(window)
        case .sumOverTime: return OverTimeFunctions.sumOverTime(window)
        case .countOverTime: return OverTimeFunctions.countOverTime(window)
        case .lastOverTime: return OverTimeFunctions.lastOverTime(window)
        case .quantileOverTime: return OverTimeFunctions.quantileOverTime(parameter, window)
        case .stddevOverTime: return OverTimeFunctions.stddevOverTime(window)
        case .stdvarOverTime: return OverTimeFunctions.stdvarOverTime(window)
        case .presentOverTime: return 1
        }
    }
}
