import MetricStore

/// The time range the store holds, from its blocks' metadata and the series themselves.
struct TimeSpan {
    var start: Int64
    var end: Int64
    var series: Int
    var samples: Int

    static func of(_ store: Store) throws -> TimeSpan {
        let all = try store.select([try LabelMatcher(Label.metricName, .regex, ".+")])
        var span = TimeSpan(start: .max, end: .min, series: all.count, samples: 0)
        for entry in all {
            guard let first = entry.samples.first, let last = entry.samples.last else { continue }
            span.start = min(span.start, first.timestamp)
            span.end = max(span.end, last.timestamp)
            span.samples += entry.samples.count
        }
        return span
    }
}
