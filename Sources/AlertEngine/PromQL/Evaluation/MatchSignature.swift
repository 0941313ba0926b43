import MetricStore

/// The labels two series must share to match in a binary operation between vectors:
/// only the `on(...)` labels, or all but the `ignoring(...)` labels and the metric name.
struct MatchSignature {
    private let names: Set<String>
    private let on: Bool

    init(_ matching: VectorMatching) {
        names = Set(matching.labels)
        on = matching.on
    }

    func callAsFunction(_ labels: Labels) -> Labels {
        if on { return Labels(sortedUnique: labels.pairs.filter { names.contains($0.name) }) }
        return Labels(sortedUnique: labels.pairs.filter { $0.name != Label.metricName && !names.contains($0.name) })
    }

    /// Numbers each distinct signature of both sides, once per series.
    static func ordinals(_ sides: [[Labels]], _ signature: MatchSignature) -> (ordinals: [[Int]], signatures: [Labels]) {
        var indexBySignature: [Labels: Int] = [:]
        var signatures: [Labels] = []
        let ordinals = sides.map { side in
            side.map { labels in
                let key = signature(labels)
                if let existing = indexBySignature[key] { return existing }
                indexBySignature[key] = signatures.count
                signatures.append(key)
                return signatures.count - 1
            }
        }
        return (ordinals, signatures)
    }
}
