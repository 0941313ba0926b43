import MetricStore

/// Series held in memory: the sample source of rule unit tests (`scalewatch test rules`)
/// and of the engine's own tests.
public struct MemorySampleSource: SampleSource {
    private var samplesBySeries: [Labels: [Sample]] = [:]

    public init() {}

    public init(_ series: [SeriesSamples]) {
        for entry in series { append(entry.labels, entry.samples) }
    }

    public var series: [SeriesSamples] {
        samplesBySeries.map { SeriesSamples(labels: $0.key, samples: $0.value) }.sorted { $0.labels < $1.labels }
    }

    /// Adds samples to a series, creating it if needed. Out-of-order samples are put in
    /// place; a sample at an existing timestamp replaces the old one.
    public mutating func append(_ labels: Labels, _ samples: [Sample]) {
        // Mutated in place: copying the series out and back would make every append cost
        // the series' length, and rule tests append one sample per evaluation.
        samplesBySeries[labels, default: []].insertInTimeOrder(samples)
    }

    public mutating func append(_ labels: Labels, timestamp: Int64, value: Double) {
        append(labels, [Sample(timestamp: timestamp, value: value)])
    }

    public func select(_ matchers: [LabelMatcher], minTime: Int64, maxTime: Int64) -> [SeriesSamples] {
        var selected: [SeriesSamples] = []
        for (labels, samples) in samplesBySeries
        where matchers.allSatisfy({ $0.matches(labels[$0.name] ?? "") }) {
            let lower = samples.firstIndex(withTimestampAtLeast: minTime)
            let upper = samples.firstIndex(withTimestampAbove: maxTime)
            guard lower < upper else { continue }
            // The whole array when the window covers it, so that no samples are copied.
            let inRange = lower == 0 && upper == samples.count ? samples : Array(samples[lower..<upper])
            selected.append(SeriesSamples(labels: labels, samples: inRange))
        }
        return selected.sorted { $0.labels < $1.labels }
    }
}

private extension Array where Element == Sample {
    mutating func insertInTimeOrder(_ samples: [Sample]) {
        for sample in samples {
            guard let last, last.timestamp >= sample.timestamp else {
                append(sample)
                continue
            }
            let index = firstIndex { $0.timestamp >= sample.timestamp }!
            if self[index].timestamp == sample.timestamp {
                self[index] = sample
            } else {
                insert(sample, at: index)
            }
        }
    }
}
