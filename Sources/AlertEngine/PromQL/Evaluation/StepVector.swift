import MetricStore

/// An instant vector evaluated at every step of an evaluation, stored series by series so
/// that each node of the query runs once across all steps: the value of series `s` at step
/// `i` is `values[s * stepCount + i]`, meaningful only where `present` is true.
///
/// Labels are unique across series once a node has finished (see `StepVectorBuilder`).
struct StepVector {
    let stepCount: Int
    private(set) var labels: [Labels] = []
    var values: [Double] = []
    var present: [Bool] = []

    init(stepCount: Int) {
        self.stepCount = stepCount
    }

    var seriesCount: Int { labels.count }

    @inline(__always)
    func index(_ series: Int, _ step: Int) -> Int { series * stepCount + step }

    /// Room for `count` more series, so that filling a large result does not copy it while
    /// it grows.
    mutating func reserveCapacity(series count: Int) {
        labels.reserveCapacity(labels.count + count)
        values.reserveCapacity(values.count + count * stepCount)
        present.reserveCapacity(present.count + count * stepCount)
    }

    /// Appends a series with no value at any step; returns its index.
    mutating func appendEmptySeries(_ seriesLabels: Labels) -> Int {
        labels.append(seriesLabels)
        values.append(contentsOf: repeatElement(.nan, count: stepCount))
        present.append(contentsOf: repeatElement(false, count: stepCount))
        return labels.count - 1
    }

    /// Appends a series from a filled row (`stepCount` entries each).
    mutating func appendSeries(_ seriesLabels: Labels, values rowValues: [Double], present rowPresent: [Bool]) {
        labels.append(seriesLabels)
        values.append(contentsOf: rowValues)
        present.append(contentsOf: rowPresent)
    }

    /// Appends series `series` of `other`, which has the same steps.
    mutating func appendSeries(from other: StepVector, _ series: Int, labels seriesLabels: Labels? = nil) {
        let range = other.index(series, 0)..<other.index(series + 1, 0)
        labels.append(seriesLabels ?? other.labels[series])
        values.append(contentsOf: other.values[range])
        present.append(contentsOf: other.present[range])
    }

    mutating func setLabels(_ series: Int, _ newLabels: Labels) {
        labels[series] = newLabels
    }

    func hasValue(_ series: Int) -> Bool {
        present[index(series, 0)..<index(series + 1, 0)].contains(true)
    }

    /// Whether any series has a value at each step.
    func anyPresentPerStep() -> [Bool] {
        var any = [Bool](repeating: false, count: stepCount)
        for series in 0..<seriesCount {
            let base = index(series, 0)
            for step in 0..<stepCount where present[base + step] { any[step] = true }
        }
        return any
    }

    /// The same vector without the series that have no value at any step.
    func removingEmptySeries() -> StepVector {
        guard (0..<seriesCount).contains(where: { !hasValue($0) }) else { return self }
        var kept = StepVector(stepCount: stepCount)
        for series in 0..<seriesCount where hasValue(series) { kept.appendSeries(from: self, series) }
        return kept
    }

    /// Series whose labels became equal (a dropped metric name, a relabelling) are merged
    /// into one, as Prometheus does when it collects a step's results by labels; two values
    /// at the same step are an error.
    func mergingEqualLabels() throws(PromQLEvaluationError) -> StepVector {
        var seen = Set<Labels>(minimumCapacity: seriesCount)
        guard !labels.allSatisfy({ seen.insert($0).inserted }) else { return self }
        var builder = StepVectorBuilder(stepCount: stepCount)
        for series in 0..<seriesCount {
            let target = builder.series(for: labels[series])
            let base = index(series, 0)
            for step in 0..<stepCount where present[base + step] {
                try builder.set(target, step, values[base + step])
            }
        }
        return builder.vector
    }
}

/// Collects a node's output series by labels, so that several inputs may feed one output
/// series at different steps while two values for one series at one step are refused.
struct StepVectorBuilder {
    private(set) var vector: StepVector
    private var seriesByLabels: [Labels: Int] = [:]

    init(stepCount: Int) {
        vector = StepVector(stepCount: stepCount)
    }

    mutating func series(for labels: Labels) -> Int {
        if let existing = seriesByLabels[labels] { return existing }
        let created = vector.appendEmptySeries(labels)
        seriesByLabels[labels] = created
        return created
    }

    @inline(__always)
    func isSet(_ series: Int, _ step: Int) -> Bool {
        vector.present[vector.index(series, step)]
    }

    @inline(__always)
    mutating func set(_ series: Int, _ step: Int, _ value: Double, collision: PromQLEvaluationError = .duplicateLabelset)
        throws(PromQLEvaluationError)
    {
        let index = vector.index(series, step)
        if vector.present[index] { throw collision }
        vector.present[index] = true
        vector.values[index] = value
    }
}
