@testable import MetricStore
import TestSupport

/// A block as the store finds it on disk: meta.json, index and up to two chunk segments
/// (`FuzzFiles`, in that order). Opening checks meta and index; then every query a reader
/// makes (label names and values, postings, series, chunk frames and their samples) must
/// answer or throw `BlockReadError`, never trap.
struct BlockFuzzTarget: FuzzTarget {
    let name = "Block"
    private static let id = BlockID("01HZY3J5V6W7X8Y9Z0A1B2C3D4")!
    private static let directory = "/data/" + id.description

    func run(_ bytes: [UInt8]) {
        let files = FuzzFiles.split(bytes, maxFiles: 4)
        let fileSystem = PowerLossFileSystem()
        do {
            try fileSystem.createDirectory("/data")
            try fileSystem.createDirectory(Self.directory)
            try fileSystem.createDirectory(Self.directory + "/" + BlockFileNames.chunksDirectory)
            let names = [BlockFileNames.meta, BlockFileNames.index, BlockFileNames.segmentPath(1), BlockFileNames.segmentPath(2)]
            for (name, contents) in zip(names, files) {
                let file = try fileSystem.create(Self.directory + "/" + name)
                try file.write(contents)
                try file.close()
            }
        } catch {
            return
        }
        guard let reader = try? BlockReader(fileSystem: fileSystem, directory: Self.directory, cacheBytes: 1 << 16) else { return }
        var budget = 2_000
        for name in reader.labelNames().prefix(32) {
            for value in reader.labelValues(name).prefix(32) {
                _ = try? reader.postings([.equal(name, value)])
                budget -= 1
            }
            if let regex = try? LabelMatcher(name, .regex, ".+") { _ = try? reader.postings([regex]) }
        }
        for id in 0..<min(reader.seriesCount, 256) where budget > 0 {
            guard let series = try? reader.series(id) else { continue }
            for meta in series.chunks.prefix(16) {
                budget -= 1
                guard let chunk = try? reader.chunk(meta) else { continue }
                var samples: [Sample] = []
                try? ChunkEncoding(rawValue: chunk.encoding).decode(chunk.bytes[...], appendingTo: &samples)
            }
        }
    }

    /// A block the writer made: a few series with compact chunks, one segment.
    func generatedSeeds() throws -> [[UInt8]] {
        let fileSystem = PowerLossFileSystem()
        try fileSystem.createDirectory("/data")
        let writer = try BlockWriter(fileSystem: fileSystem, directory: "/data", id: Self.id, options: BlockWriterOptions(frameSize: 256))
        let start: Int64 = 1_700_000_000_000
        let series: [(Labels, (Int) -> Double)] = [
            (Labels([Label("__name__", "node_cpu_seconds_total"), Label("cpu", "0"), Label("mode", "idle")]), { Double($0) * 0.25 }),
            (Labels([Label("__name__", "node_cpu_seconds_total"), Label("cpu", "0"), Label("mode", "user")]), { Double($0 * $0) }),
            (Labels([Label("__name__", "node_load1"), Label("job", "é")]), { $0 == 3 ? .nan : Double($0 % 5) / 3 }),
            (Labels([Label("__name__", "up")]), { _ in 1 }),
        ]
        for (labels, value) in series {
            var chunks: [EncodedChunk] = []
            for part in 0..<2 {
                let samples = (0..<30).map { index in
                    let position = part * 30 + index
                    return Sample(timestamp: start + Int64(position) * 15_000, value: value(position))
                }
                chunks.append(EncodedChunk(
                    minTime: samples.first!.timestamp, maxTime: samples.last!.timestamp, sampleCount: samples.count,
                    encoding: ChunkEncoding.compact.rawValue, bytes: CompactChunkCodec.encode(samples)))
            }
            try writer.add(labels, chunks: chunks)
        }
        _ = try writer.finish()
        let names = [BlockFileNames.meta, BlockFileNames.index, BlockFileNames.segmentPath(1)]
        return [FuzzFiles.join(try names.map { try fileSystem.read(Self.directory + "/" + $0) })]
    }
}
