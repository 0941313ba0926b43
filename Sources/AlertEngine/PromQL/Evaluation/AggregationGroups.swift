import MetricStore

/// Which output group each input series of an aggregation falls into, worked out once per
/// series rather than per step. Groups are numbered in order of first appearance, the
/// order Prometheus reports them in.
struct AggregationGroups {
    private(set) var labels: [Labels] = []
    private(set) var groupOfSeries: [Int] = []

    init(_ seriesLabels: [Labels], grouping: [String], without: Bool) {
        let names = Set(grouping)
        var indexByLabels: [Labels: Int] = [:]
        groupOfSeries.reserveCapacity(seriesLabels.count)
        for series in seriesLabels {
            let key = Self.groupLabels(series, names: names, without: without)
            if let existing = indexByLabels[key] {
                groupOfSeries.append(existing)
            } else {
                indexByLabels[key] = labels.count
                groupOfSeries.append(labels.count)
                labels.append(key)
            }
        }
    }

    var count: Int { labels.count }

    /// `by` keeps only the named labels; `without` drops them and the metric name.
    static func groupLabels(_ labels: Labels, names: Set<String>, without: Bool) -> Labels {
        if without {
            return Labels(sortedUnique: labels.pairs.filter { $0.name != Label.metricName && !names.contains($0.name) })
        }
        return Labels(sortedUnique: labels.pairs.filter { names.contains($0.name) })
    }
}
