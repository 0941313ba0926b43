/// An import ready to be written: each block range's series with their encoded chunks, in the
/// order the series came, plus the counts for the summary. Building all of it before writing
/// the first block keeps a bad input from leaving anything behind; the chunks are compressed,
/// so even a large import fits in memory.
struct EncodedImport {
    var byRange: [Int64: [(Labels, [EncodedChunk])]] = [:]
    var series = 0
    var samples = 0
    var skippedSamples = 0

    /// Adds a series from its samples, in time order without repeats: cut at every multiple of
    /// `blockRange`, and within a range into chunks of `chunkSamples`.
    mutating func add(_ labels: Labels, ordered samples: [Sample], blockRange: Int64, chunkSamples: Int) {
        guard !samples.isEmpty else { return }
        var chunks: [EncodedChunk] = []
        var start = 0
        while start < samples.count {
            let rangeEnd = MemSeries.rangeEnd(containing: samples[start].timestamp, blockRange: blockRange)
            var end = start
            while end < samples.count && samples[end].timestamp < rangeEnd { end += 1 }
            chunks.append(contentsOf: Store.compactChunks(samples[start..<end], limit: chunkSamples))
            start = end
        }
        add(labels, chunks: chunks, blockRange: blockRange)
    }

    /// Adds a series from chunks in time order, none crossing a multiple of `blockRange`.
    mutating func add(_ labels: Labels, chunks: [EncodedChunk], blockRange: Int64) {
        guard !chunks.isEmpty else { return }
        series += 1
        var start = 0
        while start < chunks.count {
            let rangeEnd = MemSeries.rangeEnd(containing: chunks[start].minTime, blockRange: blockRange)
            var end = start
            while end < chunks.count && chunks[end].minTime < rangeEnd {
                samples += chunks[end].sampleCount
                end += 1
            }
            byRange[rangeEnd - blockRange, default: []].append((labels, Array(chunks[start..<end])))
            start = end
        }
    }
}
