/// One series in the head: its closed chunks and the open one being appended to. A chunk is
/// closed at `samplesPerChunk` samples or at a block-range boundary, so that no chunk ever
/// straddles two blocks and cutting a block never re-encodes a chunk.
struct MemSeries {
    let ref: SeriesRef
    let labels: Labels
    private(set) var closed: [XORChunk] = []
    private(set) var open = XORChunkAppender()
    /// The end (exclusive) of the block range the open chunk belongs to.
    private var openRangeEnd: Int64 = .min
    private(set) var lastTimestamp: Int64 = .min

    init(ref: SeriesRef, labels: Labels) {
        self.ref = ref
        self.labels = labels
    }

    var isEmpty: Bool { closed.isEmpty && open.count == 0 }

    /// Puts back chunks a cut removed (older than every chunk left): the block that should
    /// have taken them was not written.
    mutating func restore(cut chunks: [XORChunk]) {
        closed.insert(contentsOf: chunks, at: 0)
        if let last = chunks.last?.maxTime { lastTimestamp = max(lastTimestamp, last) }
    }
    var minTime: Int64? { closed.first?.minTime ?? (open.count > 0 ? open.chunk.minTime : nil) }

    enum AppendOutcome: Equatable {
        case appended
        /// Older than the last sample: a clock stepped back, or a replayed import.
        case outOfOrder
        /// Same timestamp as the last sample: a retried batch. Ignored when the value is the same.
        case duplicate
    }

    mutating func append(_ sample: Sample, samplesPerChunk: Int, blockRange: Int64) -> AppendOutcome {
        if sample.timestamp < lastTimestamp { return .outOfOrder }
        if sample.timestamp == lastTimestamp { return .duplicate }
        if open.count > 0 && (open.count >= samplesPerChunk || sample.timestamp >= openRangeEnd) {
            closed.append(open.chunk)
            open = XORChunkAppender()
        }
        if open.count == 0 {
            openRangeEnd = Self.rangeEnd(containing: sample.timestamp, blockRange: blockRange)
        }
        // The checks above make a refusal impossible; a refusal here would be a head bug.
        do {
            try open.append(sample)
        } catch {
            preconditionFailure("BUG: chunk refused an in-order sample: \(error)")
        }
        lastTimestamp = sample.timestamp
        return .appended
    }

    /// Chunks overlapping [minTime, maxTime], oldest first, the open one included.
    func chunks(from minTime: Int64, through maxTime: Int64) -> [XORChunk] {
        var result = closed.filter { $0.maxTime >= minTime && $0.minTime <= maxTime }
        if open.count > 0 {
            let chunk = open.chunk
            if chunk.maxTime >= minTime && chunk.minTime <= maxTime { result.append(chunk) }
        }
        return result
    }

    /// Removes and returns the chunks that end before `boundary`; the open chunk too when it
    /// does (it then starts afresh).
    mutating func removeChunks(before boundary: Int64) -> [XORChunk] {
        var removed = closed.filter { $0.maxTime < boundary }
        closed.removeAll { $0.maxTime < boundary }
        if open.count > 0 && open.chunk.maxTime < boundary {
            removed.append(open.chunk)
            open = XORChunkAppender()
        }
        return removed
    }

    static func rangeEnd(containing timestamp: Int64, blockRange: Int64) -> Int64 {
        let start = timestamp >= 0 ? timestamp / blockRange * blockRange : ((timestamp + 1) / blockRange - 1) * blockRange
        return start + blockRange
    }
}
