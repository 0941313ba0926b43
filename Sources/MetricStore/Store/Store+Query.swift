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
        var selected: [SeriesSamples] = []
        // Decoded into one growing buffer, then copied out at its exact size: a fresh array per
        // series would grow by doubling, copying and faulting in new pages at each step.
        var buffer: [Sample] = []
        for (labels, sources) in try sources(matchers, minTime: minTime, maxTime: maxTime) {
            buffer.removeAll(keepingCapacity: true)
            try Self.decode(sources, minTime: minTime, maxTime: maxTime, into: &buffer)
            guard !buffer.isEmpty else { continue }
            let samples = [Sample](unsafeUninitializedCapacity: buffer.count) { copy, count in
                count = copy.initialize(fromContentsOf: buffer)
            }
            selected.append(SeriesSamples(labels: labels, samples: samples))
        }
        return selected
    }

    /// `select`, one series at a time: `body` gets each series with samples in range, sorted
    /// by labels, and its samples are decoded only when its turn comes, into a buffer the next
    /// series reuses. A query over the whole store then holds one series' samples at a time
    /// rather than all of them (half a gigabyte for a 20-host store's 30 M samples, which the
    /// allocator then kept). An error from `body` ends the walk and is rethrown.
    public func forEachSeries(
        _ matchers: [LabelMatcher], minTime: Int64, maxTime: Int64, _ body: (Labels, [Sample]) throws -> Void
    ) throws {
        var samples: [Sample] = []
        for (labels, sources) in try sources(matchers, minTime: minTime, maxTime: maxTime) {
            samples.removeAll(keepingCapacity: true)
            try Self.decode(sources, minTime: minTime, maxTime: maxTime, into: &samples)
            if !samples.isEmpty { try body(labels, samples) }
        }
    }

    /// Where one series' samples in a range are: its chunks in each block and in the head.
    struct SeriesSources {
        var blocks: [(block: BlockReader, chunks: [BlockChunkMeta])] = []
        var head: [XORChunk] = []
    }

    /// The matching series and where their chunks overlapping [minTime, maxTime] are, from
    /// the indexes alone, sorted by labels. Nothing is decoded yet.
    func sources(_ matchers: [LabelMatcher], minTime: Int64, maxTime: Int64) throws(StoreError) -> [(Labels, SeriesSources)] {
        var bySeries: [Labels: SeriesSources] = [:]
        for block in blocks where block.meta.maxTime > minTime && block.meta.minTime <= maxTime {
            do {
                for id in try block.postings(matchers) {
                    let series = try block.series(id)
                    let chunks = series.chunks.filter { $0.maxTime >= minTime && $0.minTime <= maxTime }
                    if !chunks.isEmpty { bySeries[series.labels, default: SeriesSources()].blocks.append((block, chunks)) }
                }
            } catch {
                throw .block("reading \(block.directory): \(error)", cause: error)
            }
        }
        for series in head.select(matchers, minTime: minTime, maxTime: maxTime) {
            bySeries[series.labels, default: SeriesSources()].head = series.chunks
        }
        return bySeries.sorted { $0.key < $1.key }
    }

    /// Appends a series' samples in [minTime, maxTime] to `samples`, in time order without
    /// repeated timestamps. A head chunk that does not decode is left out.
    static func decode(_ sources: SeriesSources, minTime: Int64, maxTime: Int64, into samples: inout [Sample]) throws(StoreError) {
        let first = samples.count
        for (block, chunks) in sources.blocks {
            do {
                for meta in chunks {
                    let chunk = try block.chunk(meta)
                    let start = samples.count
                    try ChunkEncoding(rawValue: chunk.encoding).decode(chunk.bytes[...], appendingTo: &samples)
                    Self.keepInRange(&samples, from: start, minTime: minTime, maxTime: maxTime)
                }
            } catch {
                throw .block("reading \(block.directory): \(error)", cause: error)
            }
        }
        for chunk in sources.head {
            guard let decoded = try? chunk.samples() else { continue }
            samples.append(contentsOf: decoded.lazy.filter { $0.timestamp >= minTime && $0.timestamp <= maxTime })
        }
        // Blocks come in time order and before the head; sorting only happens where ranges
        // overlap (an import into a range that already had data).
        let series = samples[first...]
        if !zip(series, series.dropFirst()).allSatisfy({ $0.timestamp < $1.timestamp }) {
            let ordered = Array(series).inTimeOrderWithoutRepeats().samples
            samples.replaceSubrange(first..., with: ordered)
        }
    }

    /// Removes the samples from `start` on that lie outside [minTime, maxTime], in place.
    private static func keepInRange(_ samples: inout [Sample], from start: Int, minTime: Int64, maxTime: Int64) {
        var kept = start
        for index in start..<samples.count where samples[index].timestamp >= minTime && samples[index].timestamp <= maxTime {
            samples[kept] = samples[index]
            kept += 1
        }
        samples.removeSubrange(kept...)
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
