import MetricStore

/// The storage of one promtool test group: the input series, loaded up to each evaluation
/// time as promtool's lazy loader does (so a query never sees input from after the last
/// evaluation), and everything the rules record.
final class RuleTestStorage: SampleSource, RuleOutputSink {
    private let stored = Locked(MemorySampleSource())
    /// Input samples not loaded yet, in time order.
    private let pending: Locked<(samples: [(labels: Labels, sample: Sample)], next: Int)>

    init(_ input: [(labels: Labels, samples: [Sample])]) {
        var all: [(labels: Labels, sample: Sample)] = []
        for series in input { for sample in series.samples { all.append((series.labels, sample)) } }
        all.sort { $0.sample.timestamp < $1.sample.timestamp }
        pending = Locked((all, 0))
    }

    /// Makes every input sample at or before `time` visible.
    func load(through time: Int64) {
        let batch: [(labels: Labels, sample: Sample)] = pending.withLock { pending in
            var end = pending.next
            while end < pending.samples.count && pending.samples[end].sample.timestamp <= time { end += 1 }
            defer { pending.next = end }
            return Array(pending.samples[pending.next..<end])
        }
        if !batch.isEmpty { write(batch) }
    }

    func write(_ samples: [(labels: Labels, sample: Sample)]) {
        stored.withLock { source in
            for (labels, sample) in samples { source.append(labels, [sample]) }
        }
    }

    func select(_ matchers: [LabelMatcher], minTime: Int64, maxTime: Int64) -> [SeriesSamples] {
        stored.withLock { $0.select(matchers, minTime: minTime, maxTime: maxTime) }
    }
}
