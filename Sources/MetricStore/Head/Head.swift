
/// The in-memory part of the store: every series with recent samples, as compressed chunks.
/// Appends and reads take one lock briefly; readers copy chunk values (copy on write, no
/// byte copies) and decode outside it, so queries do not hold up collection.
public final class Head: Sendable {
    public let options: HeadOptions

    private struct State {
        var refsByLabels: [Labels: SeriesRef] = [:]
        var series = SeriesTable()
        var postings = HeadPostings()
        var nextRef: UInt64 = 1
        var minTime: Int64 = .max
        var maxTime: Int64 = .min
        var outOfOrderSamples = 0
    }
    private let state = Locked(State())

    public init(options: HeadOptions = HeadOptions()) {
        self.options = options
    }

    /// What an append did, so that the store can log exactly that to the WAL.
    public struct AppendResult: Sendable {
        public var newSeries: [(ref: SeriesRef, labels: Labels)] = []
        public var appended: [(ref: SeriesRef, sample: Sample)] = []
        /// Samples refused because their series already had a later one.
        public var outOfOrder = 0
        /// Samples refused because their series already had one at the same time.
        public var duplicates = 0
    }

    /// Appends a batch. Out-of-order samples are refused per series and counted; they never
    /// fail the batch. With a `cache` from the same caller's previous append, a series at
    /// the same position in the batch as last time is found by comparing its labels, without
    /// hashing them, and reached through its slot, without hashing its ref.
    public func append(_ batch: [(labels: Labels, sample: Sample)], cache: inout SeriesRefCache) -> AppendResult {
        let options = self.options
        return state.withLock { state in
            var result = AppendResult()
            result.appended.reserveCapacity(batch.count)
            // The cache is rebuilt only when a position missed: in the steady state every
            // position hits and the cache stays as it is.
            var rebuilt: (refs: [SeriesRef], slots: [Int])?
            if batch.count != cache.refs.count { rebuilt = ([], []) }
            let (samplesPerChunk, blockRange) = (options.samplesPerChunk, options.blockRange)
            for (index, (labels, sample)) in batch.enumerated() {
                var ref = SeriesRef(0)
                var slot = -1
                var outcome: MemSeries.AppendOutcome?
                if index < cache.refs.count, cache.labels[index] == labels {
                    ref = cache.refs[index]
                    slot = cache.slots[index]
                    outcome = state.series.update(slot: slot, ref: ref) {
                        $0.append(sample, samplesPerChunk: samplesPerChunk, blockRange: blockRange)
                    }
                }
                if outcome == nil {
                    if let known = state.refsByLabels[labels] {
                        ref = known
                        slot = state.series.slot(of: known)!
                    } else {
                        (ref, slot) = Self.create(labels, in: &state, ref: nil)
                        result.newSeries.append((ref, labels))
                    }
                    outcome = state.series.update(slot: slot, ref: ref) {
                        $0.append(sample, samplesPerChunk: samplesPerChunk, blockRange: blockRange)
                    }
                    if rebuilt == nil { rebuilt = (Array(cache.refs[..<index]), Array(cache.slots[..<index])) }
                }
                if rebuilt != nil {
                    rebuilt!.refs.append(ref)
                    rebuilt!.slots.append(slot)
                }
                switch outcome! {
                case .appended:
                    result.appended.append((ref, sample))
                    state.minTime = min(state.minTime, sample.timestamp)
                    state.maxTime = max(state.maxTime, sample.timestamp)
                case .outOfOrder:
                    result.outOfOrder += 1
                    state.outOfOrderSamples += 1
                case .duplicate:
                    result.duplicates += 1
                }
            }
            if let rebuilt { cache = SeriesRefCache(labels: batch.map(\.labels), refs: rebuilt.refs, slots: rebuilt.slots) }
            return result
        }
    }

    public func append(_ batch: [(labels: Labels, sample: Sample)]) -> AppendResult {
        var cache = SeriesRefCache()
        return append(batch, cache: &cache)
    }

    /// The oldest and newest sample times in the head, without walking its chunks.
    public var timeRange: (minTime: Int64, maxTime: Int64)? {
        state.withLock { state in state.minTime <= state.maxTime ? (state.minTime, state.maxTime) : nil }
    }

    /// WAL replay: a series record re-creates the series under its logged ref.
    public func restoreSeries(_ ref: SeriesRef, _ labels: Labels) {
        state.withLock { state in
            if state.refsByLabels[labels] == nil { _ = Self.create(labels, in: &state, ref: ref) }
        }
    }

    /// WAL replay: samples of series restored before. Unknown refs (their series record was
    /// in a corrupt part of the WAL) and out-of-order samples are dropped and counted.
    public func restoreSamples(_ samples: [(ref: SeriesRef, sample: Sample)]) -> (restored: Int, dropped: Int) {
        let options = self.options
        return state.withLock { state in
            var restored = 0
            var dropped = 0
            for (ref, sample) in samples {
                let outcome = state.series.update(ref) {
                    $0.append(sample, samplesPerChunk: options.samplesPerChunk, blockRange: options.blockRange)
                }
                guard outcome == .appended else {
                    dropped += 1
                    continue
                }
                restored += 1
                state.minTime = min(state.minTime, sample.timestamp)
                state.maxTime = max(state.maxTime, sample.timestamp)
            }
            return (restored, dropped)
        }
    }

    private static func create(_ labels: Labels, in state: inout State, ref wanted: SeriesRef?) -> (SeriesRef, slot: Int) {
        let ref = wanted ?? SeriesRef(state.nextRef)
        state.nextRef = max(state.nextRef, ref.rawValue + 1)
        state.refsByLabels[labels] = ref
        let slot = state.series.insert(MemSeries(ref: ref, labels: labels))
        state.postings.add(ref, labels)
        return (ref, slot)
    }

    // MARK: Reading

    public struct SeriesChunks: Sendable {
        public let ref: SeriesRef
        public let labels: Labels
        public let chunks: [XORChunk]
    }

    /// Series matching all matchers with their chunks overlapping [minTime, maxTime].
    public func select(_ matchers: [LabelMatcher], minTime: Int64, maxTime: Int64) -> [SeriesChunks] {
        state.withLock { state in
            let refs = state.postings.select(matchers) { Array(state.series.refs) }
            return refs.compactMap { ref in
                guard let series = state.series[ref] else { return nil }
                let chunks = series.chunks(from: minTime, through: maxTime)
                return chunks.isEmpty ? nil : SeriesChunks(ref: ref, labels: series.labels, chunks: chunks)
            }
        }
    }

    public func labelNames() -> [String] {
        state.withLock { $0.postings.valuesByName.keys.sorted() }
    }

    public func labelValues(_ name: String) -> [String] {
        state.withLock { ($0.postings.valuesByName[name] ?? []).sorted() }
    }

    public struct Stats: Sendable, Equatable {
        public var series: Int
        public var chunks: Int
        public var samples: Int
        public var bytes: Int
        public var minTime: Int64?
        public var maxTime: Int64?
        public var outOfOrderSamples: Int
    }

    public func stats() -> Stats {
        state.withLock { state in
            var stats = Stats(
                series: state.series.count, chunks: 0, samples: 0, bytes: 0,
                minTime: state.minTime == .max ? nil : state.minTime, maxTime: state.maxTime == .min ? nil : state.maxTime,
                outOfOrderSamples: state.outOfOrderSamples)
            for series in state.series.values {
                for chunk in series.chunks(from: .min, through: .max) {
                    stats.chunks += 1
                    stats.samples += chunk.count
                    stats.bytes += chunk.bytes.count
                }
            }
            return stats
        }
    }

    /// The refs of every series in the head now, for a WAL checkpoint's many questions.
    public func liveSeriesRefs() -> SeriesRefSet {
        state.withLock { state in
            var set = SeriesRefSet(capacity: state.nextRef)
            for ref in state.series.refs { set.insert(ref) }
            return set
        }
    }

    /// Every live series with its ref, for a WAL checkpoint.
    public func liveSeries() -> [(ref: SeriesRef, labels: Labels)] {
        state.withLock { state in state.series.values.map { ($0.ref, $0.labels) }.sorted { $0.ref < $1.ref } }
    }

    // MARK: Cutting blocks

    /// Undoes `cut(before:)` for chunks whose block could not be written (a full disk), so
    /// that they stay queryable and are cut again later: a series the cut emptied comes back
    /// under its old ref, which the WAL still has.
    public func restore(_ cut: [SeriesChunks]) {
        state.withLock { state in
            for entry in cut where !entry.chunks.isEmpty {
                if state.series.slot(of: entry.ref) == nil {
                    if let other = state.refsByLabels[entry.labels] {
                        // Appended again under a new ref since the cut: its chunks are newer.
                        state.series.update(other) { $0.restore(cut: entry.chunks) }
                        continue
                    }
                    _ = Self.create(entry.labels, in: &state, ref: entry.ref)
                }
                state.series.update(entry.ref) { $0.restore(cut: entry.chunks) }
            }
            state.minTime = state.series.values.compactMap(\.minTime).min() ?? .max
            state.maxTime = max(state.maxTime, cut.compactMap { $0.chunks.last?.maxTime }.max() ?? .min)
        }
    }

    /// Removes every chunk that ends before `boundary` and returns them per series, for a
    /// block. Series left without chunks are dropped from the head (and its index).
    public func cut(before boundary: Int64) -> [SeriesChunks] {
        state.withLock { state in
            var cut: [SeriesChunks] = []
            var emptied: [SeriesRef] = []
            var emptiedLabels: [Labels] = []
            for ref in state.series.refs.sorted() {
                state.series.update(ref) { series in
                    let chunks = series.removeChunks(before: boundary)
                    if !chunks.isEmpty { cut.append(SeriesChunks(ref: ref, labels: series.labels, chunks: chunks)) }
                    if series.isEmpty {
                        emptied.append(ref)
                        emptiedLabels.append(series.labels)
                    }
                }
            }
            if !emptied.isEmpty {
                for (ref, labels) in zip(emptied, emptiedLabels) {
                    state.series.remove(ref)
                    state.refsByLabels[labels] = nil
                }
                state.postings.remove(Set(emptied), labels: emptiedLabels)
            }
            state.minTime = state.series.values.compactMap(\.minTime).min() ?? .max
            if state.series.isEmpty { state.maxTime = .min }
            return cut
        }
    }
}
