import MetricStore

extension Evaluator {
    /// A range-vector function at every step: for each series, a window slides along its
    /// samples with two cursors, and no samples are copied. `rate`, `increase`,
    /// `max_over_time` and `min_over_time` keep a summary up to date as the window slides
    /// (`SlidingWindow`) rather than rescanning each window.
    func evaluateRangeFunction(_ function: RangeFunction, _ call: FunctionCall) throws(PromQLEvaluationError) -> StepVector {
        let rangeIndex = function.rangeArgumentIndex
        guard call.args.count > rangeIndex else { throw .typeMismatch("expected a range vector argument to \(call.function.name)") }
        let parameterIndex = rangeIndex == 0 ? 1 : 0
        let parameters = call.args.count > 1 ? try evaluateScalar(call.args[parameterIndex]) : []
        // predict_linear's regression is anchored at the evaluation time; with `@` Prometheus
        // evaluates the (step-invariant) call once, at the start.
        let anchoredAtStart = Self.hasAtModifier(call.args[rangeIndex])

        var output = StepVector(stepCount: steps.count)
        var rowValues = [Double](repeating: .nan, count: steps.count)
        var rowPresent = [Bool](repeating: false, count: steps.count)
        var window = SlidingWindow(for: function)
        defer { window.deallocate() }
        try forEachRangeSeries(call.args[rangeIndex]) { references, range, labels, samples in
            var lower = 0
            var upper = 0
            var anyPresent = false
            window.clear(forSeriesOf: samples.count)
            for step in 0..<steps.count {
                let reference = references[step]
                let oldest = windowStart.firstIncludedTimestamp(after: reference - range)
                while upper < samples.count && samples[upper].timestamp <= reference {
                    window.enter(upper, lower: lower, samples)
                    upper += 1
                }
                while lower < upper && samples[lower].timestamp < oldest {
                    window.leave(lower, upper: upper, samples)
                    lower += 1
                }
                rowPresent[step] = false
                guard lower < upper else { continue }
                let value: Double?
                switch window.summary {
                case .counterResets where window.counterResets == 0:
                    value = RateFunctions.extrapolatedRate(
                        samples[lower..<upper], rangeStart: reference - range, rangeEnd: reference, isCounter: true,
                        isRate: function == .rate, withoutResets: true)
                case .maximum, .minimum:
                    value = window.extremum(samples)
                default:
                    value = function.apply(
                        samples[lower..<upper], rangeStart: reference - range, rangeEnd: reference,
                        parameter: parameters.isEmpty ? 0 : parameters[step],
                        evaluationTime: anchoredAtStart ? steps.start : steps.time(step))
                }
                guard let value else { continue }
                rowValues[step] = value
                rowPresent[step] = true
                anyPresent = true
            }
            guard anyPresent else { return }
            output.appendSeries(
                function.keepsMetricName ? labels : labels.removing(Label.metricName), values: rowValues, present: rowPresent)
        }
        // Prometheus refuses equal labels among the series of a range function's result even
        // when they never share a step.
        var seen = Set<Labels>(minimumCapacity: output.seriesCount)
        for labels in output.labels where !seen.insert(labels).inserted { throw .duplicateLabelset }
        return output
    }

    /// absent_over_time: 1, with the labels the selector's equality matchers fix, at each step
    /// where no series has a sample in its window.
    func evaluateAbsentOverTime(_ call: FunctionCall) throws(PromQLEvaluationError) -> StepVector {
        guard let expr = call.args.first else { throw .typeMismatch("expected a range vector argument to absent_over_time") }
        let argument = try rangeArgument(expr)
        var anyInWindow = [Bool](repeating: false, count: steps.count)
        for series in argument.series {
            let samples = series.samples
            var lower = 0
            var upper = 0
            for step in 0..<steps.count {
                let reference = argument.referenceTimes[step]
                let oldest = windowStart.firstIncludedTimestamp(after: reference - argument.range)
                while upper < samples.count && samples[upper].timestamp <= reference { upper += 1 }
                while lower < upper && samples[lower].timestamp < oldest { lower += 1 }
                if lower < upper { anyInWindow[step] = true }
            }
        }
        return Self.absence(anyPresent: anyInWindow, labels: argument.absentLabels)
    }

    /// One series with value 1 at the steps where nothing was present.
    static func absence(anyPresent: [Bool], labels: Labels) -> StepVector {
        var output = StepVector(stepCount: anyPresent.count)
        guard anyPresent.contains(false) else { return output }
        output.appendSeries(labels, values: [Double](repeating: 1, count: anyPresent.count), present: anyPresent.map { !$0 })
        return output
    }

    /// A range argument's series handed to `body` one at a time, with the argument's
    /// reference time per step and its range. A matrix selector reads the store one series
    /// at a time (`SampleSource.forEachSeries`), so `rate` over the whole store holds one
    /// series' samples rather than all of them; a subquery's series are evaluated first.
    func forEachRangeSeries(
        _ expr: Expr, _ body: (_ references: [Int64], _ range: Int64, _ labels: Labels, _ samples: [Sample]) -> Void
    ) throws(PromQLEvaluationError) {
        switch expr {
        case let .paren(inner):
            try forEachRangeSeries(inner, body)
        case let .matrixSelector(matrix):
            let selector = matrix.selector
            let references = referenceTimes(at: selector.at, offset: selector.offset)
            guard let span = readSpan(matrix, references: references) else { return }
            do {
                try source.forEachSeries(selector.matchers, minTime: span.minTime, maxTime: span.maxTime) { labels, samples in
                    body(references, matrix.range, labels, Self.withoutStaleMarkers(samples))
                }
            } catch {
                throw .source("\(error)")
            }
        default:
            let argument = try rangeArgument(expr)
            for series in argument.series { body(argument.referenceTimes, argument.range, series.labels, series.samples) }
        }
    }

    func rangeArgument(_ expr: Expr) throws(PromQLEvaluationError) -> RangeArgument {
        switch expr {
        case let .paren(inner): return try rangeArgument(inner)
        case let .matrixSelector(matrix): return try loadRange(matrix)
        case let .subquery(subquery): return try evaluateSubquery(subquery)
        default: throw .typeMismatch("expected type range vector, got \(expr.type.rawValue)")
        }
    }

    static func hasAtModifier(_ expr: Expr) -> Bool {
        switch expr {
        case let .paren(inner): return hasAtModifier(inner)
        case let .matrixSelector(matrix): return matrix.selector.at != nil
        case let .subquery(subquery): return subquery.at != nil
        default: return false
        }
    }
}
