import MetricStore

/// Evaluates PromQL expressions against a sample source with Prometheus' semantics.
///
/// A range query evaluates each node of the expression once across all steps, as
/// Prometheus' engine does, rather than running one instant query per step: selectors read
/// their whole time range once and slide a window over each series.
public struct QueryEngine: Sendable {
    public let source: any SampleSource
    /// How far back an instant selector looks for a series' latest sample (ms).
    public let lookbackDelta: Int64
    /// The step of a subquery written without one, `x[5m:]`: Prometheus uses its global
    /// evaluation interval (ms).
    public let defaultSubqueryStep: Int64
    public let windowStart: WindowStart

    public init(
        source: any SampleSource, lookbackDelta: Int64 = 300_000, defaultSubqueryStep: Int64 = 60_000,
        windowStart: WindowStart = .excluded
    ) {
        self.source = source
        self.lookbackDelta = lookbackDelta
        self.defaultSubqueryStep = defaultSubqueryStep
        self.windowStart = windowStart
    }

    /// The value of `expr` at `time` (ms), as Prometheus' `/api/v1/query` computes it.
    public func instantQuery(_ expr: Expr, at time: Int64) throws(PromQLEvaluationError) -> QueryValue {
        let evaluator = makeEvaluator(steps: EvaluationSteps(start: time, interval: 1, count: 1), queryStart: time, queryEnd: time)
        switch try evaluator.evaluate(expr) {
        case let .scalar(values):
            return .scalar(values[0])
        case let .string(text):
            return .string(text)
        case let .matrix(series):
            return .matrix(series)
        case let .vector(vector):
            var samples: [VectorSample] = []
            samples.reserveCapacity(vector.seriesCount)
            for series in 0..<vector.seriesCount where vector.present[series] {
                samples.append(VectorSample(labels: vector.labels[series], value: vector.values[series], timestamp: time))
            }
            return .vector(samples)
        }
    }

    /// `expr` at every `step` (ms) from `start` to `end`, as Prometheus' `/api/v1/query_range`
    /// computes it: series sorted by labels, each with the steps at which it had a value.
    public func rangeQuery(_ expr: Expr, start: Int64, end: Int64, step: Int64) throws(PromQLEvaluationError) -> [RangeSeries] {
        guard step > 0 else {
            throw .invalidParameter("zero or negative query resolution step widths are not accepted. Try a positive integer")
        }
        guard end >= start else { throw .invalidParameter("end timestamp must not be before start time") }
        let type = expr.type
        guard type == .scalar || type == .instantVector else {
            throw .typeMismatch("invalid expression type \"\(type.rawValue)\" for range query, must be Scalar or instant Vector")
        }
        guard EvaluationSteps.count(from: start, through: end, interval: step) <= EvaluationSteps.maxRangeQueryPoints else {
            throw .invalidParameter(
                "exceeded maximum resolution of 11,000 points per timeseries. Try decreasing the query resolution (?step=XX)")
        }
        let steps = EvaluationSteps(start: start, end: end, interval: step)
        let evaluator = makeEvaluator(steps: steps, queryStart: start, queryEnd: end)
        switch try evaluator.evaluate(expr) {
        case let .scalar(values):
            let points = values.indices.map { Sample(timestamp: steps.time($0), value: values[$0]) }
            return [RangeSeries(labels: .empty, points: points)]
        case let .vector(vector):
            var result: [RangeSeries] = []
            result.reserveCapacity(vector.seriesCount)
            for series in 0..<vector.seriesCount {
                let base = vector.index(series, 0)
                let count = vector.present[base..<(base + steps.count)].reduce(0) { $1 ? $0 + 1 : $0 }
                guard count > 0 else { continue }
                let points = [Sample](unsafeUninitializedCapacity: count) { buffer, initialized in
                    var next = 0
                    for index in 0..<steps.count where vector.present[base + index] {
                        buffer[next] = Sample(timestamp: steps.time(index), value: vector.values[base + index])
                        next += 1
                    }
                    initialized = next
                }
                result.append(RangeSeries(labels: vector.labels[series], points: points))
            }
            return result.sorted { $0.labels < $1.labels }
        case .string, .matrix:
            throw .typeMismatch("invalid expression type \"\(type.rawValue)\" for range query, must be Scalar or instant Vector")
        }
    }

    private func makeEvaluator(steps: EvaluationSteps, queryStart: Int64, queryEnd: Int64) -> Evaluator {
        Evaluator(
            source: source, lookbackDelta: lookbackDelta, defaultSubqueryStep: defaultSubqueryStep,
            windowStart: windowStart, queryStart: queryStart, queryEnd: queryEnd, steps: steps)
    }
}
