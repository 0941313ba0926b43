import MetricStore

/// Turning one rule's query result into the series it writes, with Prometheus' checks.
enum RuleResults {
    /// The result of a rule's expression at one instant, as a vector: a scalar is one
    /// sample without labels; anything else is an error, as in Prometheus.
    static func vector(_ value: QueryValue, at time: Int64) throws(RuleResultError) -> [VectorSample] {
        switch value {
        case .vector(let samples): return samples
        case .scalar(let number): return [VectorSample(labels: .empty, value: number, timestamp: time)]
        case .matrix, .string: throw RuleResultError("rule result is not a vector or scalar")
        }
    }

    /// A recording rule's output: the record name and the rule's labels on every sample.
    static func recorded(_ samples: [VectorSample], rule: CompiledRule, limit: Int) throws(RuleResultError) -> [(Labels, Double)] {
        var seen = Set<Labels>()
        var output: [(Labels, Double)] = []
        output.reserveCapacity(samples.count)
        for sample in samples {
            var labels = sample.labels.adding(Label.metricName, rule.name)
            labels = applying(rule.labels, to: labels)
            guard seen.insert(labels).inserted else {
                throw RuleResultError("vector contains metrics with the same labelset after applying rule labels")
            }
            output.append((labels, sample.value))
        }
        if limit > 0 && output.count > limit {
            throw RuleResultError("exceeded limit of \(limit) with \(output.count) series")
        }
        return output
    }

    /// Sets each label, an empty value removing it, as Prometheus' label builder does.
    static func applying(_ extra: Labels, to labels: Labels) -> Labels {
        var result = labels
        for label in extra.pairs {
            result = label.value.isEmpty ? result.removing(label.name) : result.adding(label.name, label.value)
        }
        return result
    }
}

struct RuleResultError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
