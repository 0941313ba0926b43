#if canImport(Glibc)
import Glibc
#endif
@testable import MetricStore
import TestSupport

enum BlockFixtures {
    static let id = BlockID("01HZY3J5V6W7X8Y9Z0A1B2C3D4")!

    /// A chunk whose bytes are a deterministic function of `seed`; `compressible` ones repeat
    /// a short pattern, the others are noise that zstd cannot shrink.
    static func chunk(minTime: Int64, samples: Int, seed: UInt64, length: Int, compressible: Bool) -> EncodedChunk {
        var random = SplitMix64(seed: seed)
        let pattern = (0..<8).map { _ in UInt8.random(in: 0...255, using: &random) }
        let bytes = (0..<length).map { compressible ? pattern[$0 % pattern.count] : UInt8.random(in: 0...255, using: &random) }
        return EncodedChunk(
            minTime: minTime, maxTime: minTime + Int64(samples - 1) * 15_000, sampleCount: samples, encoding: 2, bytes: bytes)
    }

    /// `count` distinct series with seeded random labels (ASCII and non-ASCII values) and 1–5
    /// chunks each of seeded random bytes.
    static func randomSeries(count: Int, seed: UInt64) -> [(labels: Labels, chunks: [EncodedChunk])] {
        var random = SplitMix64(seed: seed)
        let names = ["node_cpu_seconds_total", "node_load1", "pg_up", "up", "ünïcode_metric"]
        var result: [(labels: Labels, chunks: [EncodedChunk])] = []
        var seen = Set<Labels>()
        while result.count < count {
            var pairs = [Label("__name__", names.randomElement(using: &random)!)]
            for name in ["instance", "job", "mode", "device", "zone"] where Bool.random(using: &random) {
                pairs.append(Label(name, "\(name.prefix(2))-\(Int.random(in: 0..<12, using: &random))\(Bool.random(using: &random) ? "é" : "")"))
            }
            let labels = Labels(pairs)
            guard seen.insert(labels).inserted else { continue }
            var time = Int64.random(in: 0..<1_000_000, using: &random)
            var chunks: [EncodedChunk] = []
            for _ in 0..<Int.random(in: 1...5, using: &random) {
                let samples = Int.random(in: 1...120, using: &random)
                let chunk = chunk(
                    minTime: time, samples: samples, seed: random.next(), length: Int.random(in: 1...400, using: &random),
                    compressible: Bool.random(using: &random))
                chunks.append(chunk)
                time = chunk.maxTime + Int64.random(in: 1...60_000, using: &random)
            }
            result.append((labels, chunks.shuffled(using: &random)))
        }
        return result
    }

    /// Writes `series` as a block in `directory` and returns its path.
    @discardableResult
    static func writeBlock(
        _ series: [(labels: Labels, chunks: [EncodedChunk])], in directory: String, fileSystem: any FileSystem,
        id: BlockID = BlockFixtures.id, options: BlockWriterOptions = BlockWriterOptions()
    ) throws -> String {
        let writer = try BlockWriter(fileSystem: fileSystem, directory: directory, id: id, options: options)
        for entry in series {
            try writer.add(entry.labels, chunks: entry.chunks)
        }
        try writer.finish()
        return BlockFileNames.join(directory, id.description)
    }
}
