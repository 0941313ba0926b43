import MetricStore

extension Evaluator {
    func evaluateElementFunction(_ function: ElementFunction, _ call: FunctionCall) throws(PromQLEvaluationError) -> StepVector {
        var vector: StepVector
        if call.args.isEmpty && function.isDate {
            // The date functions default to vector(time()).
            vector = StepVector(stepCount: steps.count)
            vector.appendSeries(
                .empty, values: (0..<steps.count).map { Double(steps.time($0)) / 1000 },
                present: [Bool](repeating: true, count: steps.count))
        } else {
            vector = try evaluateVector(try argument(call, 0))
        }
        let firstParameter = call.args.count > 1 ? try evaluateScalar(call.args[1]) : nil
        let secondParameter = call.args.count > 2 ? try evaluateScalar(call.args[2]) : nil
        // round's precision defaults to 1.
        let first = firstParameter ?? [Double](repeating: 1, count: steps.count)
        let second = secondParameter ?? first

        for series in 0..<vector.seriesCount {
            let base = vector.index(series, 0)
            for step in 0..<steps.count where vector.present[base + step] {
                if let value = function.apply(vector.values[base + step], first[step], second[step]) {
                    vector.values[base + step] = value
                } else {
                    vector.present[base + step] = false
                }
            }
            vector.setLabels(series, vector.labels[series].removing(Label.metricName))
        }
        return try vector.mergingEqualLabels().removingEmptySeries()
    }
}
