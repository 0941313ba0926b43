/// One series' samples in a queried range, in time order.
public struct SeriesSamples: Sendable, Equatable {
    public let labels: Labels
    public var samples: [Sample]

    public init(labels: Labels, samples: [Sample]) {
        self.labels = labels
        self.samples = samples
    }
}

extension Store {
    /// Every series matching all matchers with its samples in [minTime, maxTime], from the
    /// blocks and the head together, sorted by labels.
    public func select(_ matchers: [LabelMatcher], minTime: Int64 = .min, maxTime: Int64 = .max) throws(StoreError) -> [SeriesSamples] {
        var bySeries: [Labels: [Sample]] = [:]
        for block in blocks where block.meta.maxTime > minTime && block.meta.minTime <= maxTime {
            do {
                for id in try block.postings(matchers) {
                    let series = try block.series(id)
                    var samples: [Sample] = []
                    for meta in series.chunks where meta.maxTime >= minTime && meta.minTime <= maxTime {
                        let chunk = try block.chunk(meta)
                        try ChunkEncoding(rawValue: chunk.encoding).decode(chunk.bytes[...], appendingTo: &samples)
                    }
                    let inRange = samples.filter { $0.timestamp >= minTime && $0.timestamp <= maxTime }
                    if !inRange.isEmpty { bySeries[series.labels, default: []].append(contentsOf: inRange) }
                }
            } catch {
                throw .block("reading \(block.directory): \(error)", cause: error)
            }
        }
        for series in head.select(matchers, minTime: minTime, maxTime: maxTime) {
            var samples: [Sample] = []
            for chunk in series.chunks {
                guard let decoded = try? chunk.samples() else { continue }
                samples.append(contentsOf: decoded.lazy.filter { $0.timestamp >= minTime && $0.timestamp <= maxTime })
            }
            if !samples.isEmpty { bySeries[series.labels, default: []].append(contentsOf: samples) }
        }
        return bySeries.map { labels, samples in
            // Blocks come in time order and before the head; sorting only happens where
            // ranges overlap (an import into a range that already had data).
            SeriesSamples(labels: labels, samples: samples.inTimeOrderWithoutRepeats().samples)
        }.sorted { $0.labels < $1.labels }
    }

    public func labelNames() throws(StoreError) -> [String] {
        var names = Set(head.labelNames())
        for block in blocks { names.formUnion(block.labelNames()) }
        return names.sorted()
    }

    public func labelValues(_ name: String) throws(StoreError) -> [String] {
        var values = Set(head.labelValues(name))
        for block in blocks { values.formUnion(block.labelValues(name)) }
        return values.sorted()
    }
}
