import MetricStore

extension Evaluator {
    /// `expr[range:step]`: the inner expression evaluated once on a grid of its own, whose
    /// steps are absolute multiples of the subquery step (so that results do not shift with
    /// the query's start), covering every window the outer steps need.
    func evaluateSubquery(_ subquery: SubqueryExpr) throws(PromQLEvaluationError) -> RangeArgument {
        let interval = subquery.step ?? defaultSubqueryStep
        guard interval > 0 else { throw .invalidParameter("subquery step must be positive, got \(interval)ms") }
        let references = referenceTimes(at: subquery.at, offset: subquery.offset)
        guard let oldestReference = references.min(), let newestReference = references.max() else {
            return RangeArgument(series: [], range: subquery.range, referenceTimes: references, absentLabels: .empty)
        }
        let (windowOpens, overflow) = oldestReference.subtractingReportingOverflow(subquery.range)
        let innerStart = Self.alignedUp(
            windowStart.firstIncludedTimestamp(after: overflow ? .min : windowOpens), to: interval)
        // Every inner step is a point per series held at once: a grid longer than the most
        // samples a query may load (`[1y:1ms]`) is refused before it is allocated.
        guard EvaluationSteps.count(from: innerStart, through: newestReference, interval: interval)
            <= PromQLEvaluationError.maxSamples
        else { throw .tooManySamples }
        let inner = with(steps: EvaluationSteps(start: innerStart, end: newestReference, interval: interval))
        let value = try inner.evaluate(subquery.expr)
        guard case let .vector(vector) = value else { throw Self.mismatch(expected: .instantVector, got: value) }

        var series: [SeriesSamples] = []
        series.reserveCapacity(vector.seriesCount)
        for row in 0..<vector.seriesCount {
            let base = vector.index(row, 0)
            var samples: [Sample] = []
            for step in 0..<vector.stepCount where vector.present[base + step] {
                samples.append(Sample(timestamp: inner.steps.time(step), value: vector.values[base + step]))
            }
            if !samples.isEmpty { series.append(SeriesSamples(labels: vector.labels[row], samples: samples)) }
        }
        return RangeArgument(series: series, range: subquery.range, referenceTimes: references, absentLabels: .empty)
    }

    /// The first multiple of `interval` at or after `time`.
    static func alignedUp(_ time: Int64, to interval: Int64) -> Int64 {
        let remainder = time % interval
        if remainder == 0 { return time }
        guard remainder > 0 else { return time - remainder }
        // At the very end of the representable range there is no later multiple: the last
        // one before it is the best there is.
        let (next, overflow) = (time - remainder).addingReportingOverflow(interval)
        return overflow ? time - remainder : next
    }
}
