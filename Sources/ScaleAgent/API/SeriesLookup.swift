import MetricStore

/// Which series, label names and label values the store holds in a time range, from the
/// blocks' indexes and the head's postings alone: no chunk is decoded, so `series` and the
/// label calls cost the index, not the samples. A series counts as in the range when one of
/// its chunks overlaps it, as in Prometheus.
struct SeriesLookup {
    let store: Store
    /// Checked between blocks, so that a long lookup stops at the query's deadline.
    let budget: QueryBudget?

    /// The distinct label sets matching any of `matcherSets`, sorted; at most `limit` of them
    /// (0: all) plus whether more were left out.
    func series(_ matcherSets: [[LabelMatcher]], minTime: Int64, maxTime: Int64, limit: Int) throws -> (labels: [Labels], truncated: Bool) {
        var found = Set<Labels>()
        for matchers in matcherSets {
            try each(matchers, minTime: minTime, maxTime: maxTime) { found.insert($0) }
        }
        var sorted = found.sorted()
        let truncated = limit > 0 && sorted.count > limit
        if truncated { sorted.removeLast(sorted.count - limit) }
        return (sorted, truncated)
    }

    /// Label names of the matching series (of all series when `matcherSets` is empty), sorted.
    func labelNames(_ matcherSets: [[LabelMatcher]], minTime: Int64, maxTime: Int64) throws -> [String] {
        if matcherSets.isEmpty && Self.isUnbounded(minTime, maxTime) { return try store.labelNames() }
        var names = Set<String>()
        for matchers in try effective(matcherSets) {
            try each(matchers, minTime: minTime, maxTime: maxTime) { labels in
                for label in labels.pairs { names.insert(label.name) }
            }
        }
        return names.sorted()
    }

    /// Values of label `name` among the matching series (all series when `matcherSets` is empty), sorted.
    func labelValues(_ name: String, _ matcherSets: [[LabelMatcher]], minTime: Int64, maxTime: Int64) throws -> [String] {
        if matcherSets.isEmpty && Self.isUnbounded(minTime, maxTime) { return try store.labelValues(name) }
        var values = Set<String>()
        // A series without the label has no value for it: only those with one are read.
        let hasLabel = try LabelMatcher(name, .notEqual, "")
        for matchers in try effective(matcherSets) {
            try each(matchers + [hasLabel], minTime: minTime, maxTime: maxTime) { labels in
                if let value = labels[name] { values.insert(value) }
            }
        }
        return values.sorted()
    }

    /// Without `match[]`, every series: every series has a name.
    private func effective(_ matcherSets: [[LabelMatcher]]) throws -> [[LabelMatcher]] {
        matcherSets.isEmpty ? [[try LabelMatcher("__name__", .regex, ".+")]] : matcherSets
    }

    private static func isUnbounded(_ minTime: Int64, _ maxTime: Int64) -> Bool {
        minTime <= APIParameters.minTime && maxTime >= APIParameters.maxTime
    }

    private func each(_ matchers: [LabelMatcher], minTime: Int64, maxTime: Int64, _ body: (Labels) -> Void) throws {
        for block in store.blocks where block.meta.maxTime > minTime && block.meta.minTime <= maxTime {
            try budget?.check()
            for id in try block.postings(matchers) {
                let series = try block.series(id)
                if series.chunks.contains(where: { $0.maxTime >= minTime && $0.minTime <= maxTime }) { body(series.labels) }
            }
        }
        try budget?.check()
        for series in store.head.select(matchers, minTime: minTime, maxTime: maxTime) { body(series.labels) }
    }
}
