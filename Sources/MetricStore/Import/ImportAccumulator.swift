/// Collects an import's series while the input is still being read, encoding each series'
/// samples into a chunk as soon as `chunkSamples` of them are pending, so that memory holds
/// compressed chunks (about 0.3 bytes a sample) and a short tail per series rather than every
/// sample of a file of gigabytes. Chunks are cut where `EncodedImport.add(_:ordered:…)` cuts
/// them — at every multiple of `blockRange`, then every `chunkSamples` — so the blocks come out
/// byte for byte as if the whole input had been read first.
///
/// A series not seen for a whole window has usually ended (files list series one after
/// another, or a group of them at a time): its tail is parked as the chunk it will most
/// likely end as, so that thousands of finished series do not each keep up to a chunk of
/// plain samples; if more samples come after all, the tail is decoded again.
///
/// A series whose timestamps go back or repeat (rare: files list each series in time order)
/// turns back into plain samples, its chunks decoded, and is put in time order at the end:
/// the first sample of a timestamp wins and the others count as skipped.
struct ImportAccumulator {
    private struct Series {
        let labels: Labels
        var chunks: [EncodedChunk] = []
        var pending: [Sample] = []
        /// The end of the block range of the pending samples.
        var pendingRangeEnd = Int64.min
        var lastTimestamp = Int64.min
        /// `pending` encoded, while the series is idle.
        var parked: EncodedChunk?
        /// The last window that brought samples.
        var window = 0
        /// Every sample, once the series turned out not to be in time order.
        var unordered: [Sample]?

        init(labels: Labels) { self.labels = labels }

        mutating func append(_ samples: [Sample], blockRange: Int64, chunkSamples: Int) {
            if let tail = parked {
                pending.reserveCapacity(chunkSamples)
                Self.decode([tail], appendingTo: &pending)
                parked = nil
            }
            if unordered != nil {
                unordered!.append(contentsOf: samples)
                return
            }
            for (index, sample) in samples.enumerated() {
                guard sample.timestamp > lastTimestamp else {
                    unordered = decodedSoFar() + samples[index...]
                    chunks = []
                    pending = []
                    return
                }
                if sample.timestamp >= pendingRangeEnd {
                    flush()
                    pendingRangeEnd = MemSeries.rangeEnd(containing: sample.timestamp, blockRange: blockRange)
                }
                // Most series fill whole chunks: no regrowing on the way, nor a doubled capacity.
                if pending.capacity == 0 { pending.reserveCapacity(chunkSamples) }
                pending.append(sample)
                lastTimestamp = sample.timestamp
                if pending.count == chunkSamples { flush() }
            }
        }

        mutating func flush() {
            guard !pending.isEmpty else { return }
            chunks.append(encode(pending))
            pending.removeAll(keepingCapacity: true)
        }

        mutating func park() {
            guard !pending.isEmpty else { return }
            parked = encode(pending)
            pending = []
        }

        /// The tail as it will be written: parked or pending.
        mutating func finish() {
            if let tail = parked {
                chunks.append(tail)
                parked = nil
            }
            flush()
        }

        private func encode(_ samples: [Sample]) -> EncodedChunk {
            Store.compactChunks(samples[...], limit: samples.count)[0]
        }

        private func decodedSoFar() -> [Sample] {
            var samples: [Sample] = []
            Self.decode(chunks, appendingTo: &samples)
            return samples + pending
        }

        /// This process encoded the chunks, so decoding cannot fail.
        private static func decode(_ chunks: [EncodedChunk], appendingTo samples: inout [Sample]) {
            for chunk in chunks {
                do {
                    try CompactChunkCodec.decode(chunk.bytes[...], appendingTo: &samples)
                } catch {
                    preconditionFailure("BUG: a chunk encoded by the import does not decode: \(error)")
                }
            }
        }
    }

    let blockRange: Int64
    let chunkSamples: Int
    /// In the order the series first appear, which is the order blocks list them in.
    private var series: [Series] = []
    private var indexByLabels: [Labels: Int] = [:]
    private var window = 0

    init(blockRange: Int64, chunkSamples: Int) {
        precondition(blockRange > 0 && chunkSamples > 0)
        self.blockRange = blockRange
        self.chunkSamples = chunkSamples
    }

    /// More samples of a series, in the order the input gave them.
    mutating func add(_ labels: Labels, _ samples: [Sample]) {
        let index: Int
        if let known = indexByLabels[labels] {
            index = known
        } else {
            index = series.count
            indexByLabels[labels] = index
            series.append(Series(labels: labels))
        }
        series[index].window = window
        series[index].append(samples, blockRange: blockRange, chunkSamples: chunkSamples)
    }

    /// After each window of the input: parks the tails of the series it did not bring.
    mutating func endWindow() {
        for index in series.indices where series[index].window < window && !series[index].pending.isEmpty {
            series[index].park()
        }
        window += 1
    }

    consuming func finish() -> EncodedImport {
        var result = EncodedImport()
        for var entry in series {
            if let unordered = entry.unordered {
                let (ordered, dropped) = unordered.inTimeOrderWithoutRepeats()
                result.skippedSamples += dropped
                result.add(entry.labels, ordered: ordered, blockRange: blockRange, chunkSamples: chunkSamples)
            } else {
                entry.finish()
                result.add(entry.labels, chunks: entry.chunks, blockRange: blockRange)
            }
        }
        return result
    }
}
