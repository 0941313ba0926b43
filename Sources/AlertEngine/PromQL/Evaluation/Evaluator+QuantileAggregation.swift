import MetricStore

extension Evaluator {
    /// quantile(φ, v): needs all of a group's values at a step together, so it walks step by
    /// step, reusing one buffer per group.
    func evaluateQuantileAggregation(_ aggregate: AggregateExpr) throws(PromQLEvaluationError) -> StepVector {
        let quantiles = try evaluateScalar(try requireParameter(aggregate))
        let input = try evaluateVector(aggregate.expr)
        let groups = AggregationGroups(input.labels, grouping: aggregate.grouping, without: aggregate.without)
        var buffers = [[Double]](repeating: [], count: groups.count)
        var output = StepVector(stepCount: steps.count)
        for group in 0..<groups.count { _ = output.appendEmptySeries(groups.labels[group]) }
        for step in 0..<steps.count {
            for group in 0..<groups.count { buffers[group].removeAll(keepingCapacity: true) }
            for series in 0..<input.seriesCount where input.present[input.index(series, step)] {
                buffers[groups.groupOfSeries[series]].append(input.values[input.index(series, step)])
            }
            for group in 0..<groups.count where !buffers[group].isEmpty {
                let slot = output.index(group, step)
                output.values[slot] = Quantile.quantile(quantiles[step], &buffers[group])
                output.present[slot] = true
            }
        }
        return output.removingEmptySeries()
    }
}
