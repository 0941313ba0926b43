import MetricStore

extension Evaluator {
    /// topk/bottomk(k, v): per group and step the k largest (smallest) elements, keeping
    /// their own labels. NaN ranks below every number either way. An instant query lists
    /// groups in order of appearance, each best first, as Prometheus does.
    func evaluateTopK(_ aggregate: AggregateExpr) throws(PromQLEvaluationError) -> StepVector {
        let parameters = try evaluateScalar(try requireParameter(aggregate))
        if parameters.contains(where: \.isNaN) { throw .invalidParameter("Parameter value is NaN") }
        if let low = parameters.min(), low <= -9.223372036854775807e18 {
            throw .invalidParameter("Scalar value \(GoFloatFormat.shortestFixed(low)) underflows int64")
        }
        if let high = parameters.max(), high >= 9.223372036854775807e18 {
            throw .invalidParameter("Scalar value \(GoFloatFormat.shortestFixed(high)) overflows int64")
        }
        let input = try evaluateVector(aggregate.expr)
        let groups = AggregationGroups(input.labels, grouping: aggregate.grouping, without: aggregate.without)
        let wantsLargest = aggregate.op == .topk

        var outputRow = [Int](repeating: -1, count: input.seriesCount)
        var output = StepVector(stepCount: steps.count)
        var selections = [[Int]](repeating: [], count: groups.count)
        for step in 0..<steps.count {
            let k = min(Int(parameters[step]), input.seriesCount)
            guard k >= 1 else { continue }
            for group in 0..<groups.count { selections[group].removeAll(keepingCapacity: true) }
            for series in 0..<input.seriesCount where input.present[input.index(series, step)] {
                let value = input.values[input.index(series, step)]
                Self.offer(series, value: value, k: k, to: &selections[groups.groupOfSeries[series]], largest: wantsLargest) {
                    input.values[input.index($0, step)]
                }
            }
            for group in 0..<groups.count where !selections[group].isEmpty {
                let ranked = selections[group].sorted { lhs, rhs in
                    Self.ranksBefore(input.values[input.index(lhs, step)], input.values[input.index(rhs, step)], largest: wantsLargest)
                }
                for series in ranked {
                    if outputRow[series] < 0 { outputRow[series] = output.appendEmptySeries(input.labels[series]) }
                    let slot = output.index(outputRow[series], step)
                    output.values[slot] = input.values[input.index(series, step)]
                    output.present[slot] = true
                }
            }
        }
        return output
    }

    /// Whether `lhs` is a better pick than `rhs`: larger (smaller) first, NaN last.
    @inline(__always)
    static func ranksBefore(_ lhs: Double, _ rhs: Double, largest: Bool) -> Bool {
        if lhs.isNaN { return false }
        if rhs.isNaN { return true }
        return largest ? lhs > rhs : lhs < rhs
    }

    /// Keeps `selection` as a heap of at most k series whose root is the worst pick; a new
    /// series only displaces the root if it is strictly better, so among equal values the
    /// earlier series stay, as with Prometheus' heap.
    static func offer(
        _ series: Int, value: Double, k: Int, to selection: inout [Int], largest: Bool, valueOf: (Int) -> Double
    ) {
        // "Worse" orders the heap: the root is the element every other one ranks before.
        func worse(_ a: Int, _ b: Int) -> Bool { ranksBefore(valueOf(b), valueOf(a), largest: largest) }
        if selection.count < k {
            selection.append(series)
            var child = selection.count - 1
            while child > 0 {
                let parent = (child - 1) / 2
                guard worse(selection[child], selection[parent]) else { break }
                selection.swapAt(child, parent)
                child = parent
            }
            return
        }
        guard ranksBefore(value, valueOf(selection[0]), largest: largest) else { return }
        selection[0] = series
        var parent = 0
        while true {
            let left = 2 * parent + 1
            let right = left + 1
            var worst = parent
            if left < selection.count && worse(selection[left], selection[worst]) { worst = left }
            if right < selection.count && worse(selection[right], selection[worst]) { worst = right }
            if worst == parent { return }
            selection.swapAt(parent, worst)
            parent = worst
        }
    }
}
