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
        var stored = samplesBySeries[labels, default: []]
        for sample in samples {
            if let last = stored.last, last.timestamp >= sample.timestamp {
                let index = stored.firstIndex { $0.timestamp >= sample.timestamp }!
                if stored[index].timestamp == sample.timestamp {
                    stored[index] = sample
                } else {
                    stored.insert(sample, at: index)
                }
            } else {
                stored.append(sample)
            }
        }
        samplesBySeries[labels] = stored
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
