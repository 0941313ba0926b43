import MetricStore

extension Evaluator {
    /// count_values("label", v): how many elements have each value, the value becoming a
    /// label. Output series depend on the values, so this one works step by step.
    func evaluateCountValues(_ aggregate: AggregateExpr) throws(PromQLEvaluationError) -> StepVector {
        let valueLabel = try evaluateString(try requireParameter(aggregate))
        guard !valueLabel.isEmpty else { throw .invalidParameter("invalid label name \"\(valueLabel)\"") }
        let input = try evaluateVector(aggregate.expr)
        var grouping = Set(aggregate.grouping)
        if !aggregate.without { grouping.insert(valueLabel) }

        var builder = StepVectorBuilder(stepCount: steps.count)
        var counts: [Double] = []
        // Most series keep their value from one step to the next: remember the output
        // series of each one's last value.
        var lastValueBits = [UInt64?](repeating: nil, count: input.seriesCount)
        var lastOutput = [Int](repeating: 0, count: input.seriesCount)
        for series in 0..<input.seriesCount {
            for step in 0..<steps.count where input.present[input.index(series, step)] {
                let value = input.values[input.index(series, step)]
                let output: Int
                if lastValueBits[series] == value.bitPattern {
                    output = lastOutput[series]
                } else {
                    let labeled = input.labels[series].adding(valueLabel, GoFloatFormat.shortestFixed(value))
                    output = builder.series(for: AggregationGroups.groupLabels(labeled, names: grouping, without: aggregate.without))
                    lastValueBits[series] = value.bitPattern
                    lastOutput[series] = output
                }
                let slot = output * steps.count + step
                if slot >= counts.count { counts.append(contentsOf: repeatElement(0, count: slot + 1 - counts.count)) }
                counts[slot] += 1
            }
        }
        var vector = builder.vector
        for slot in counts.indices where counts[slot] > 0 {
            vector.values[slot] = counts[slot]
            vector.present[slot] = true
        }
        return vector
    }
}
