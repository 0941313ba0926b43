import MetricStore

extension Evaluator {
    func evaluateCall(_ call: FunctionCall) throws(PromQLEvaluationError) -> StepValue {
        let name = call.function.name
        if let function = RangeFunction(name: name) {
            return .vector(try evaluateRangeFunction(function, call))
        }
        if let function = ElementFunction(name: name) {
            return .vector(try evaluateElementFunction(function, call))
        }
        switch name {
        case "time":
            return .scalar((0..<steps.count).map { Double(steps.time($0)) / 1000 })
        case "pi":
            return .scalar([Double](repeating: Double.pi, count: steps.count))
        case "vector":
            let values = try evaluateScalar(try argument(call, 0))
            var vector = StepVector(stepCount: steps.count)
            vector.appendSeries(.empty, values: values, present: [Bool](repeating: true, count: steps.count))
            return .vector(vector)
        case "scalar":
            return .scalar(scalarOf(try evaluateVector(try argument(call, 0))))
        case "absent":
            let expr = try argument(call, 0)
            let vector = try evaluateVector(expr)
            return .vector(Self.absence(anyPresent: vector.anyPresentPerStep(), labels: Self.absentLabels(of: expr)))
        case "absent_over_time":
            return .vector(try evaluateAbsentOverTime(call))
        case "timestamp":
            return .vector(try evaluateTimestamp(try argument(call, 0)))
        case "sort", "sort_desc":
            return .vector(try sorted(try evaluateVector(try argument(call, 0)), descending: name == "sort_desc"))
        case "label_replace":
            return .vector(try evaluateLabelReplace(call))
        case "label_join":
            return .vector(try evaluateLabelJoin(call))
        case "histogram_quantile":
            return .vector(try evaluateHistogramQuantile(call))
        default:
            throw .typeMismatch("unknown function with name \"\(name)\"")
        }
    }

    func argument(_ call: FunctionCall, _ index: Int) throws(PromQLEvaluationError) -> Expr {
        guard index < call.args.count else {
            throw .typeMismatch("expected at least \(index + 1) argument(s) in call to \"\(call.function.name)\", got \(call.args.count)")
        }
        return call.args[index]
    }

    /// scalar(v): the value of the only element, NaN when there are none or several.
    private func scalarOf(_ vector: StepVector) -> [Double] {
        var values = [Double](repeating: .nan, count: steps.count)
        var counts = [Int](repeating: 0, count: steps.count)
        for series in 0..<vector.seriesCount {
            let base = vector.index(series, 0)
            for step in 0..<steps.count where vector.present[base + step] {
                counts[step] += 1
                values[step] = vector.values[base + step]
            }
        }
        for step in 0..<steps.count where counts[step] != 1 { values[step] = .nan }
        return values
    }

    /// absent() names the labels of its argument's equality matchers only when the argument
    /// is a plain selector.
    static func absentLabels(of expr: Expr) -> Labels {
        switch expr {
        case let .paren(inner): return absentLabels(of: inner)
        case let .vectorSelector(selector): return absentLabels(selector.matchers)
        default: return .empty
        }
    }

    /// timestamp(v): the time of each element. A selector's elements are samples with times
    /// of their own; anything computed is stamped with the evaluation time.
    private func evaluateTimestamp(_ expr: Expr) throws(PromQLEvaluationError) -> StepVector {
        var selectorExpr = expr
        while case let .paren(inner) = selectorExpr { selectorExpr = inner }
        var vector: StepVector
        if case let .vectorSelector(selector) = selectorExpr {
            vector = try evaluateVectorSelector(selector, returningTimestamps: true)
        } else {
            vector = try evaluateVector(expr)
            for series in 0..<vector.seriesCount {
                for step in 0..<steps.count { vector.values[vector.index(series, step)] = Double(steps.time(step)) / 1000 }
            }
        }
        for series in 0..<vector.seriesCount {
            vector.setLabels(series, vector.labels[series].removing(Label.metricName))
        }
        return try vector.mergingEqualLabels()
    }

    /// sort/sort_desc order an instant query's elements by value, NaN last either way; a
    /// range query's series have no order to keep, so they pass through.
    private func sorted(_ vector: StepVector, descending: Bool) throws(PromQLEvaluationError) -> StepVector {
        guard steps.count == 1 else { return vector }
        let order = (0..<vector.seriesCount).sorted { lhs, rhs in
            let left = vector.values[lhs]
            let right = vector.values[rhs]
            if left.isNaN || right.isNaN { return !left.isNaN && right.isNaN }
            return descending ? left > right : left < right
        }
        var result = StepVector(stepCount: 1)
        for series in order { result.appendSeries(from: vector, series) }
        return result
    }
}
