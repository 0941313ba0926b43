import MetricStore

/// Reads every sample of every block of a store back: the chunk frames are decompressed and
/// the chunks decoded, on one thread, the way a query over the whole store reads them.
/// Runs `repetitions` times over fresh readers (cold frame cache each time) and reports the
/// best, because the first pass also pays for page faults.
struct DecodeBenchmark {
    let directory: String
    let repetitions: Int

    func run() throws {
        var best = Double.infinity
        var decodeOnlyBest = Double.infinity
        var total = 0
        for _ in 0..<repetitions {
            var options = StoreOptions()
            options.readOnly = true
            let store = try Store.open(directory: directory, options: options)
            defer { store.close() }
            var samples: [Sample] = []
            samples.reserveCapacity(1 << 16)
            var count = 0
            var encoded: [EncodedChunk] = []
            let start = cpuSeconds()
            for block in store.blocks {
                for id in 0..<block.seriesCount {
                    for meta in try block.series(id).chunks {
                        let chunk = try block.chunk(meta)
                        samples.removeAll(keepingCapacity: true)
                        try ChunkEncoding(rawValue: chunk.encoding).decode(chunk.bytes[...], appendingTo: &samples)
                        count += samples.count
                        encoded.append(chunk)
                    }
                }
            }
            best = min(best, cpuSeconds() - start)
            total = count

            // The codec alone, on chunks already in memory.
            let decodeStart = cpuSeconds()
            var decoded = 0
            for chunk in encoded {
                samples.removeAll(keepingCapacity: true)
                try ChunkEncoding(rawValue: chunk.encoding).decode(chunk.bytes[...], appendingTo: &samples)
                decoded += samples.count
            }
            decodeOnlyBest = min(decodeOnlyBest, cpuSeconds() - decodeStart)
            precondition(decoded == count)
        }
        print("decode: \(total) samples, best of \(repetitions)")
        print("  from blocks (zstd frames + chunks)  \(format(best)) s cpu, \(Int(Double(total) / best / 1e6)) M samples/s per core")
        print("  chunk codec only                    \(format(decodeOnlyBest)) s cpu, \(Int(Double(total) / decodeOnlyBest / 1e6)) M samples/s per core")
    }
}
