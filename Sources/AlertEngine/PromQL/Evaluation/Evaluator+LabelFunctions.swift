import MetricStore

extension Evaluator {
    /// label_replace(v, dst, replacement, src, regex): relabels each series once; values
    /// and steps are untouched.
    func evaluateLabelReplace(_ call: FunctionCall) throws(PromQLEvaluationError) -> StepVector {
        let destination = try evaluateString(try argument(call, 1))
        let replacement = try evaluateString(try argument(call, 2))
        let sourceLabel = try evaluateString(try argument(call, 3))
        let regex = try evaluateString(try argument(call, 4))
        let compiled: LabelReplaceRegex
        do {
            compiled = try LabelReplaceRegex(regex)
        } catch {
            throw .labelFunction(error.description)
        }
        return try relabel(try evaluateVector(try argument(call, 0))) { labels throws(PromQLEvaluationError) in
            do throws(LabelFunctionError) {
                return try LabelFunctions.labelReplace(
                    labels, destination: destination, replacement: replacement, source: sourceLabel, regex: compiled)
            } catch {
                throw .labelFunction(error.description)
            }
        }
    }

    /// label_join(v, dst, separator, src...).
    func evaluateLabelJoin(_ call: FunctionCall) throws(PromQLEvaluationError) -> StepVector {
        let destination = try evaluateString(try argument(call, 1))
        let separator = try evaluateString(try argument(call, 2))
        var sources: [String] = []
        for expr in call.args.dropFirst(3) { sources.append(try evaluateString(expr)) }
        return try relabel(try evaluateVector(try argument(call, 0))) { labels throws(PromQLEvaluationError) in
            do throws(LabelFunctionError) {
                return try LabelFunctions.labelJoin(labels, destination: destination, separator: separator, sources: sources)
            } catch {
                throw .labelFunction(error.description)
            }
        }
    }

    /// Prometheus refuses equal label sets after relabelling even if the series never
    /// share a step.
    private func relabel(
        _ input: StepVector, _ transform: (Labels) throws(PromQLEvaluationError) -> Labels
    ) throws(PromQLEvaluationError) -> StepVector {
        var vector = input
        var seen = Set<Labels>(minimumCapacity: vector.seriesCount)
        for series in 0..<vector.seriesCount {
            let labels = try transform(vector.labels[series])
            guard seen.insert(labels).inserted else { throw .duplicateLabelset }
            vector.setLabels(series, labels)
        }
        return vector
    }
}
