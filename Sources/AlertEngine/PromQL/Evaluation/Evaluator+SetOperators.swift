import MetricStore

extension Evaluator {
    /// and/or/unless: many-to-many, by signature presence at each step. Labels are never
    /// changed.
    func setOperation(
        _ op: BinaryOperator, _ lhs: StepVector, _ rhs: StepVector, matching: VectorMatching
    ) throws(PromQLEvaluationError) -> StepVector {
        let (ordinals, signatures) = MatchSignature.ordinals([lhs.labels, rhs.labels], MatchSignature(matching))
        let stepCount = steps.count
        // Whether a signature has a series with a value at a step, on the side that filters.
        func presence(_ vector: StepVector, _ sideOrdinals: [Int]) -> [Bool] {
            var present = [Bool](repeating: false, count: signatures.count * stepCount)
            for series in 0..<vector.seriesCount {
                let base = sideOrdinals[series] * stepCount
                let seriesBase = vector.index(series, 0)
                for step in 0..<stepCount where vector.present[seriesBase + step] { present[base + step] = true }
            }
            return present
        }
        func filtered(_ vector: StepVector, _ sideOrdinals: [Int], by other: [Bool], keepWhere: Bool) -> StepVector {
            var result = vector
            for series in 0..<result.seriesCount {
                let base = sideOrdinals[series] * stepCount
                let seriesBase = result.index(series, 0)
                for step in 0..<stepCount where result.present[seriesBase + step] && other[base + step] != keepWhere {
                    result.present[seriesBase + step] = false
                }
            }
            return result.removingEmptySeries()
        }

        switch op {
        case .and:
            return filtered(lhs, ordinals[0], by: presence(rhs, ordinals[1]), keepWhere: true)
        case .unless:
            return filtered(lhs, ordinals[0], by: presence(rhs, ordinals[1]), keepWhere: false)
        case .or:
            let fromRight = filtered(rhs, ordinals[1], by: presence(lhs, ordinals[0]), keepWhere: false)
            var combined = lhs
            for series in 0..<fromRight.seriesCount { combined.appendSeries(from: fromRight, series) }
            return try combined.mergingEqualLabels()
        default:
            preconditionFailure("\(op) is not a set operator")
        }
    }
}
