import MetricStore

extension Evaluator {
    func evaluateAggregation(_ aggregate: AggregateExpr) throws(PromQLEvaluationError) -> StepVector {
        switch aggregate.op {
        case .countValues:
            return try evaluateCountValues(aggregate)
        case .topk, .bottomk:
            return try evaluateTopK(aggregate)
        case .quantile:
            return try evaluateQuantileAggregation(aggregate)
        case .sum, .avg, .min, .max, .count, .group, .stddev, .stdvar:
            let input = try evaluateVector(aggregate.expr)
            let groups = AggregationGroups(input.labels, grouping: aggregate.grouping, without: aggregate.without)
            var accumulator = GroupAccumulator(op: aggregate.op, groupCount: groups.count, stepCount: steps.count)
            accumulator.add(input, groups: groups)
            return accumulator.result(labels: groups.labels)
        }
    }

    func requireParameter(_ aggregate: AggregateExpr) throws(PromQLEvaluationError) -> Expr {
        guard let parameter = aggregate.parameter else {
            throw .invalidParameter("\(aggregate.op.rawValue) requires a parameter")
        }
        return parameter
    }
}

/// The running state of sum, avg, min, max, count, group, stddev and stdvar for every
/// group at every step, in flat arrays indexed `group * stepCount + step`.
struct GroupAccumulator {
    let op: AggregationOperator
    let stepCount: Int
    private var seen: [Bool]
    /// The sum, extreme, or sum of squared deviations, depending on the operator.
    private var value: [Double]
    /// Kahan compensation for sum and avg.
    private var compensation: [Double]
    private var count: [Double]
    private var mean: [Double]
    /// avg switches from summing to an incremental mean once the sum would overflow.
    private var incrementalMean: [Bool]

    init(op: AggregationOperator, groupCount: Int, stepCount: Int) {
        self.op = op
        self.stepCount = stepCount
        let slots = groupCount * stepCount
        seen = [Bool](repeating: false, count: slots)
        value = [Double](repeating: 0, count: slots)
        let needsSum = op == .sum || op == .avg
        let needsMean = op == .avg || op == .stddev || op == .stdvar
        compensation = [Double](repeating: 0, count: needsSum ? slots : 0)
        count = [Double](repeating: 0, count: needsMean || op == .count ? slots : 0)
        mean = [Double](repeating: 0, count: needsMean ? slots : 0)
        incrementalMean = [Bool](repeating: false, count: op == .avg ? slots : 0)
    }

    /// Folds in every present value, series by series so that memory is read in order.
    mutating func add(_ input: StepVector, groups: AggregationGroups) {
        for series in 0..<input.seriesCount {
            let groupBase = groups.groupOfSeries[series] * stepCount
            let seriesBase = input.index(series, 0)
            for step in 0..<stepCount where input.present[seriesBase + step] {
                add(input.values[seriesBase + step], at: groupBase + step)
            }
        }
    }

    @inline(__always)
    private mutating func add(_ sample: Double, at slot: Int) {
        guard seen[slot] else {
            seen[slot] = true
            start(sample, at: slot)
            return
        }
        switch op {
        case .sum:
            (value[slot], compensation[slot]) = KahanSum.kahanSumInc(sample, value[slot], compensation[slot])
        case .avg:
            addToMean(sample, at: slot)
        case .min:
            if value[slot] > sample || value[slot].isNaN { value[slot] = sample }
        case .max:
            if value[slot] < sample || value[slot].isNaN { value[slot] = sample }
        case .count:
            count[slot] += 1
        case .group:
            break
        case .stddev, .stdvar:
            // Welford's online algorithm.
            count[slot] += 1
            let delta = sample - mean[slot]
            mean[slot] += delta / count[slot]
            value[slot] += delta * (sample - mean[slot])
        case .topk, .bottomk, .quantile, .countValues:
            preconditionFailure("\(op) is not accumulated")
        }
    }

    @inline(__always)
    private mutating func start(_ sample: Double, at slot: Int) {
        switch op {
        case .group:
            value[slot] = 1
        case .count:
            count[slot] = 1
        case .stddev, .stdvar:
            value[slot] = sample.isNaN || sample.isInfinite ? .nan : 0
            mean[slot] = sample
            count[slot] = 1
        case .avg:
            value[slot] = sample
            mean[slot] = sample
            count[slot] = 1
        default:
            value[slot] = sample
        }
    }

    /// Kahan-compensated sum while it stays finite, then an incremental mean, the way
    /// Prometheus 3 averages: direct summing is more accurate, the incremental mean cannot
    /// overflow.
    @inline(__always)
    private mutating func addToMean(_ sample: Double, at slot: Int) {
        count[slot] += 1
        let n = count[slot]
        if !incrementalMean[slot] {
            let (sum, newCompensation) = KahanSum.kahanSumInc(sample, value[slot], compensation[slot])
            if !sum.isInfinite {
                value[slot] = sum
                compensation[slot] = newCompensation
                return
            }
            incrementalMean[slot] = true
            mean[slot] = value[slot] / (n - 1)
            compensation[slot] /= n - 1
        }
        let q = (n - 1) / n
        (mean[slot], compensation[slot]) = KahanSum.kahanSumInc(sample / n, q * mean[slot], q * compensation[slot])
    }

    func result(labels: [Labels]) -> StepVector {
        var output = StepVector(stepCount: stepCount)
        var rowValues = [Double](repeating: .nan, count: stepCount)
        var rowPresent = [Bool](repeating: false, count: stepCount)
        for group in labels.indices {
            let base = group * stepCount
            var anyPresent = false
            for step in 0..<stepCount {
                let slot = base + step
                rowPresent[step] = seen[slot]
                guard seen[slot] else { continue }
                anyPresent = true
                rowValues[step] = finalValue(at: slot)
            }
            if anyPresent { output.appendSeries(labels[group], values: rowValues, present: rowPresent) }
        }
        return output
    }

    private func finalValue(at slot: Int) -> Double {
        switch op {
        case .sum:
            return value[slot] + compensation[slot]
        case .avg:
            if incrementalMean[slot] { return mean[slot] + compensation[slot] }
            return value[slot] / count[slot] + compensation[slot] / count[slot]
        case .count:
            return count[slot]
        case .stdvar:
            return value[slot] / count[slot]
        case .stddev:
            return (value[slot] / count[slot]).squareRoot()
        default:
            return value[slot]
        }
    }
}
