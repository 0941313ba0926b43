import MetricStore

/// What a node evaluates to across the steps of an evaluation.
enum StepValue {
    /// One value per step.
    case scalar([Double])
    case vector(StepVector)
    case string(String)
    /// A range selector or subquery as the whole of an instant query.
    case matrix([RangeSeries])
}

/// Evaluates expression nodes over one grid of steps; subqueries make evaluators of their own.
struct Evaluator {
    let source: any SampleSource
    let lookbackDelta: Int64
    let defaultSubqueryStep: Int64
    let windowStart: WindowStart
    /// The outer query's start and end, which `@ start()` and `@ end()` refer to at any depth.
    let queryStart: Int64
    let queryEnd: Int64
    let steps: EvaluationSteps

    func with(steps newSteps: EvaluationSteps) -> Evaluator {
        Evaluator(
            source: source, lookbackDelta: lookbackDelta, defaultSubqueryStep: defaultSubqueryStep,
            windowStart: windowStart, queryStart: queryStart, queryEnd: queryEnd, steps: newSteps)
    }

    func evaluate(_ expr: Expr) throws(PromQLEvaluationError) -> StepValue {
        switch expr {
        case let .number(value):
            return .scalar([Double](repeating: value, count: steps.count))
        case let .string(text):
            return .string(text)
        case let .paren(inner):
            return try evaluate(inner)
        case let .vectorSelector(selector):
            return .vector(try evaluateVectorSelector(selector))
        case let .matrixSelector(selector):
            return .matrix(try loadRange(selector).seriesAtFirstStep(windowStart: windowStart))
        case let .subquery(subquery):
            return .matrix(try evaluateSubquery(subquery).seriesAtFirstStep(windowStart: windowStart))
        case let .negation(inner):
            return try negate(try evaluate(inner))
        case let .call(call):
            return try evaluateCall(call)
        case let .aggregate(aggregate):
            return .vector(try evaluateAggregation(aggregate))
        case let .binary(binary):
            return try evaluateBinary(binary)
        }
    }

    func evaluateVector(_ expr: Expr) throws(PromQLEvaluationError) -> StepVector {
        let value = try evaluate(expr)
        guard case let .vector(vector) = value else { throw Self.mismatch(expected: .instantVector, got: value) }
        return vector
    }

    func evaluateScalar(_ expr: Expr) throws(PromQLEvaluationError) -> [Double] {
        let value = try evaluate(expr)
        guard case let .scalar(values) = value else { throw Self.mismatch(expected: .scalar, got: value) }
        return values
    }

    func evaluateString(_ expr: Expr) throws(PromQLEvaluationError) -> String {
        let value = try evaluate(expr)
        guard case let .string(text) = value else { throw Self.mismatch(expected: .string, got: value) }
        return text
    }

    static func mismatch(expected: ValueType, got value: StepValue) -> PromQLEvaluationError {
        let actual: ValueType
        switch value {
        case .scalar: actual = .scalar
        case .vector: actual = .instantVector
        case .string: actual = .string
        case .matrix: actual = .rangeVector
        }
        return .typeMismatch("expected type \(expected.rawValue), got \(actual.rawValue)")
    }

    private func negate(_ value: StepValue) throws(PromQLEvaluationError) -> StepValue {
        switch value {
        case let .scalar(values):
            return .scalar(values.map { -$0 })
        case var .vector(vector):
            for index in vector.values.indices { vector.values[index] = -vector.values[index] }
            for series in 0..<vector.seriesCount {
                vector.setLabels(series, vector.labels[series].removing(Label.metricName))
            }
            return .vector(try vector.mergingEqualLabels())
        case .string, .matrix:
            throw Self.mismatch(expected: .instantVector, got: value)
        }
    }
}
