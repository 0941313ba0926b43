import MetricStore

extension Evaluator {
    /// The time a selector reads at for one step: its `@` time or the step's, moved back by
    /// its offset.
    @inline(__always)
    func referenceTime(_ step: Int, at: AtModifier?, offset: Int64) -> Int64 {
        (at.map(resolve) ?? steps.time(step)) - offset
    }

    func resolve(_ at: AtModifier) -> Int64 {
        switch at {
        case let .timestamp(time): return time
        case .start: return queryStart
        case .end: return queryEnd
        }
    }

    func referenceTimes(at: AtModifier?, offset: Int64) -> [Int64] {
        (0..<steps.count).map { referenceTime($0, at: at, offset: offset) }
    }

    func select(_ matchers: [LabelMatcher], minTime: Int64, maxTime: Int64) throws(PromQLEvaluationError) -> [SeriesSamples] {
        do {
            return try source.select(matchers, minTime: minTime, maxTime: maxTime)
        } catch {
            throw .source("\(error)")
        }
    }

    /// An instant selector at every step: each series' newest sample in the lookback window
    /// before the reference time, unless that sample is a stale marker (the series ended).
    /// With `returningTimestamps` the value is the sample's timestamp in seconds, which is
    /// what `timestamp(selector)` reports.
    func evaluateVectorSelector(_ selector: VectorSelector, returningTimestamps: Bool = false) throws(PromQLEvaluationError) -> StepVector {
        var vector = StepVector(stepCount: steps.count)
        guard steps.count > 0 else { return vector }
        let references = referenceTimes(at: selector.at, offset: selector.offset)
        let oldestReference = references.min()!
        let newestReference = references.max()!
        // Each step's oldest sample time, once rather than per series.
        let oldestIncluded = references.map { windowStart.firstIncludedTimestamp(after: $0 - lookbackDelta) }
        var rowValues = [Double](repeating: .nan, count: steps.count)
        var rowPresent = [Bool](repeating: false, count: steps.count)
        do {
            // One series at a time: a selector over the whole store never holds all its samples.
            try source.forEachSeries(
                selector.matchers, minTime: windowStart.firstIncludedTimestamp(after: oldestReference - lookbackDelta),
                maxTime: newestReference
            ) { labels, samples in
                var anyPresent = false
                // References only grow along the steps (or stay, with `@`), so one cursor walks
                // each series once: `next` is the first sample after the reference time.
                var next = 0
                for step in 0..<references.count {
                    let reference = references[step]
                    while next < samples.count && samples[next].timestamp <= reference { next += 1 }
                    rowPresent[step] = false
                    guard next > 0 else { continue }
                    let sample = samples[next - 1]
                    guard sample.timestamp >= oldestIncluded[step], !StaleMarker.isStale(sample.value) else { continue }
                    rowValues[step] = returningTimestamps ? Double(sample.timestamp) / 1000 : sample.value
                    rowPresent[step] = true
                    anyPresent = true
                }
                if anyPresent { vector.appendSeries(labels, values: rowValues, present: rowPresent) }
            }
        } catch {
            throw .source("\(error)")
        }
        return vector
    }

    /// A range selector's series, read once for all steps; stale markers are not samples of
    /// a range and are dropped.
    func loadRange(_ matrix: MatrixSelector) throws(PromQLEvaluationError) -> RangeArgument {
        let selector = matrix.selector
        let references = referenceTimes(at: selector.at, offset: selector.offset)
        guard let span = readSpan(matrix, references: references) else {
            return RangeArgument(series: [], range: matrix.range, referenceTimes: references, absentLabels: .empty)
        }
        var selected = try select(selector.matchers, minTime: span.minTime, maxTime: span.maxTime)
        for index in selected.indices { selected[index].samples = Self.withoutStaleMarkers(selected[index].samples) }
        return RangeArgument(
            series: selected, range: matrix.range, referenceTimes: references,
            absentLabels: Self.absentLabels(selector.matchers))
    }

    /// The samples a matrix selector reads for all its steps: from the oldest window's start to
    /// the newest reference time; nil without steps.
    func readSpan(_ matrix: MatrixSelector, references: [Int64]) -> (minTime: Int64, maxTime: Int64)? {
        guard let oldestReference = references.min(), let newestReference = references.max() else { return nil }
        return (windowStart.firstIncludedTimestamp(after: oldestReference - matrix.range), newestReference)
    }

    /// Stale markers end a series; they are not samples of a range. Copies only when there is one.
    static func withoutStaleMarkers(_ samples: [Sample]) -> [Sample] {
        samples.contains { StaleMarker.isStale($0.value) } ? samples.filter { !StaleMarker.isStale($0.value) } : samples
    }

    /// The labels `absent(...)` reports for a selector: those fixed by an equality matcher.
    /// A second equality matcher for a name, or any later matcher of another kind, removes
    /// it again, as Prometheus has always done.
    static func absentLabels(_ matchers: [LabelMatcher]) -> Labels {
        var values: [String: String] = [:]
        var setOnce = Set<String>()
        for matcher in matchers where matcher.name != Label.metricName {
            if matcher.kind == .equal && !setOnce.contains(matcher.name) {
                values[matcher.name] = matcher.value
                setOnce.insert(matcher.name)
            } else {
                values[matcher.name] = nil
            }
        }
        return Labels(values.map { Label($0.key, $0.value) })
    }
}
