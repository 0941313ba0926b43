import MetricStore

/// The head's cardinality lists of `/api/v1/status/tsdb`, from one pass over its series: the
/// `limit` largest of each, largest first, ties by name.
struct TSDBCardinality: Sendable {
    let stats: Head.Stats
    let labelPairs: Int
    let seriesByMetricName: [(String, Int)]
    let valuesByLabelName: [(String, Int)]
    let bytesByLabelName: [(String, Int)]
    let seriesByLabelPair: [(String, Int)]

    init(head: Head, budget: QueryBudget, limit: Int) throws {
        stats = head.stats()
        try budget.check()
        var byName: [String: Int] = [:]
        var byPair: [String: Int] = [:]
        var values: [String: Set<String>] = [:]
        for series in head.select([try LabelMatcher("__name__", .regex, ".*")], minTime: .min, maxTime: .max) {
            for label in series.labels.pairs {
                if label.name == "__name__" { byName[label.value, default: 0] += 1 }
                byPair["\(label.name)=\(label.value)", default: 0] += 1
                values[label.name, default: []].insert(label.value)
            }
        }
        labelPairs = byPair.count
        seriesByMetricName = Self.top(byName, limit)
        seriesByLabelPair = Self.top(byPair, limit)
        valuesByLabelName = Self.top(values.mapValues(\.count), limit)
        bytesByLabelName = Self.top(values.mapValues { $0.reduce(0) { $0 + $1.utf8.count } }, limit)
    }

    private static func top(_ counts: [String: Int], _ limit: Int) -> [(String, Int)] {
        Array(counts.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }.prefix(limit)).map { ($0.key, $0.value) }
    }
}
