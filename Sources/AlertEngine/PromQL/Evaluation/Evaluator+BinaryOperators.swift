import MetricStore

extension Evaluator {
    func evaluateBinary(_ binary: BinaryExpr) throws(PromQLEvaluationError) -> StepValue {
        let lhs = try evaluate(binary.lhs)
        let rhs = try evaluate(binary.rhs)
        switch (lhs, rhs) {
        case let (.scalar(left), .scalar(right)):
            guard !binary.op.isSetOperator else { throw .typeMismatch("set operator \"\(binary.op.rawValue)\" not allowed in binary scalar expression") }
            return .scalar(zip(left, right).map { left, right in
                let (value, keep) = binary.op.apply(left, right)
                return binary.op.isComparison ? (keep ? 1 : 0) : value
            })
        case let (.vector(vector), .scalar(scalar)):
            return .vector(try vectorScalar(binary, vector, scalar, scalarOnLeft: false))
        case let (.scalar(scalar), .vector(vector)):
            return .vector(try vectorScalar(binary, vector, scalar, scalarOnLeft: true))
        case let (.vector(left), .vector(right)):
            let matching = binary.matching ?? VectorMatching()
            if binary.op.isSetOperator { return .vector(try setOperation(binary.op, left, right, matching: matching)) }
            return .vector(try matchVectors(binary, left, right, matching: matching))
        case (.vector, _), (.scalar, _):
            throw Self.mismatch(expected: .instantVector, got: rhs)
        default:
            throw Self.mismatch(expected: .instantVector, got: lhs)
        }
    }

    /// Vector and scalar: arithmetic on every element; a comparison filters elements
    /// (keeping the vector's value even when the scalar is on the left), or with `bool`
    /// turns them into 0 and 1.
    private func vectorScalar(
        _ binary: BinaryExpr, _ input: StepVector, _ scalar: [Double], scalarOnLeft: Bool
    ) throws(PromQLEvaluationError) -> StepVector {
        guard !binary.op.isSetOperator else {
            throw .typeMismatch("set operator \"\(binary.op.rawValue)\" not allowed in binary scalar expression")
        }
        var vector = input
        let op = binary.op
        for series in 0..<vector.seriesCount {
            let base = vector.index(series, 0)
            for step in 0..<steps.count where vector.present[base + step] {
                let element = vector.values[base + step]
                var (value, keep) = scalarOnLeft ? op.apply(scalar[step], element) : op.apply(element, scalar[step])
                if op.isComparison && scalarOnLeft { value = element }
                if binary.returnBool {
                    value = keep ? 1 : 0
                    keep = true
                }
                vector.present[base + step] = keep
                vector.values[base + step] = value
            }
        }
        if op.dropsMetricName || binary.returnBool {
            for series in 0..<vector.seriesCount {
                vector.setLabels(series, vector.labels[series].removing(Label.metricName))
            }
            vector = try vector.mergingEqualLabels()
        }
        return op.isComparison && !binary.returnBool ? vector.removingEmptySeries() : vector
    }
}
