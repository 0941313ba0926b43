import Foundation
import Testing

@testable import MetricStore
import TestSupport

/// Bytes per sample of whole blocks (chunks, index, meta) on the benchmark dataset, for each
/// frame size and zstd level, and the speed of reading every sample back through
/// `BlockReader`. Opt-in, because it reads 175 MB and wants a release build:
///
///     zstd -dc ../shared/bench/data/node-pg-1s.om.zst > /tmp/node-pg-1s.om
///     SCALEWATCH_BLOCK_BENCH=1 swift test -c release -Xswiftc -enable-testing \
///         --filter BlockDatasetMeasurement
///
/// (`SCALEWATCH_CODEC_DATASET` overrides the path.) Chunks are the compact encoding, 120
/// samples each, as the block path writes them.
@Suite(.enabled(if: ProcessInfo.processInfo.environment["SCALEWATCH_BLOCK_BENCH"] == "1"))
struct BlockDatasetMeasurement {
    @Test func blockBytesPerSampleAndReadSpeed() throws {
        let path = ProcessInfo.processInfo.environment["SCALEWATCH_CODEC_DATASET"] ?? "/tmp/node-pg-1s.om"
        var parser = OpenMetricsParser(bytes: [UInt8](try Data(contentsOf: URL(fileURLWithPath: path))), file: path)
        var samples: [[Sample]] = []
        while let sample = try parser.next() {
            while samples.count <= sample.series { samples.append([]) }
            samples[sample.series].append(Sample(timestamp: sample.timestamp ?? 0, value: sample.value))
        }
        let series = zip(parser.series, samples).map { labels, samples in
            (labels: labels, chunks: stride(from: 0, to: samples.count, by: 120).map { start in
                let slice = samples[start..<min(start + 120, samples.count)]
                return EncodedChunk(
                    minTime: slice.first!.timestamp, maxTime: slice.last!.timestamp, sampleCount: slice.count,
                    encoding: ChunkEncoding.compact.rawValue, bytes: CompactChunkCodec.encode(Array(slice)))
            })
        }.sorted { IndexOrder.less($0.labels, $1.labels) }
        let sampleCount = Double(samples.reduce(0) { $0 + $1.count })
        print("dataset: \(series.count) series, \(Int(sampleCount)) samples, \(series.reduce(0) { $0 + $1.chunks.count }) chunks")

        try Self.printReadBreakdown(series)
        let (baseline, baselineTime) = try Self.decodeOnly(series.flatMap { $0.chunks.map(\.bytes) })
        print("decoding only, from memory: \(Double(baseline) / Self.microseconds(baselineTime)) M samples/s")
        let directory = TestDirectory()
        defer { directory.remove() }
        var number: UInt64 = 0
        for frameSize in [16 << 10, 64 << 10, 256 << 10, 1 << 20] {
            for level: Int32 in [3, 9] {
                number += 1
                let id = BlockID(high: number, low: 0)
                let options = BlockWriterOptions(compressionLevel: level, frameSize: frameSize)
                let start = ContinuousClock.now
                let blockPath = try BlockFixtures.writeBlock(series, in: directory.path, fileSystem: directory.fileSystem, id: id, options: options)
                let written = ContinuousClock.now - start
                let fs = directory.fileSystem
                let index = try fs.size(of: BlockFileNames.join(blockPath, BlockFileNames.index))
                let meta = try fs.size(of: BlockFileNames.join(blockPath, BlockFileNames.meta))
                let chunks = try fs.list(BlockFileNames.join(blockPath, BlockFileNames.chunksDirectory)).reduce(0) {
                    $0 + (try fs.size(of: BlockFileNames.join(blockPath, BlockFileNames.chunksDirectory + "/" + $1)))
                }
                let (decoded, elapsed) = try Self.readAll(blockPath, fs)
                print(String(
                    format: "frame %4d KiB zstd-%d: chunks %8d  index %6d  meta %3d  total %.3f B/sample (index %.3f)  write %@  read %.1f M samples/s",
                    frameSize >> 10, level, chunks, index, meta, Double(chunks + index + meta) / sampleCount,
                    Double(index) / sampleCount, "\(written)", Double(decoded) / Self.microseconds(elapsed)))
            }
        }
    }

    /// Where reading time goes, on the default options: opening (meta, index), decoding every
    /// series entry, fetching every chunk's bytes (frames read, checked, decompressed, cached).
    static func printReadBreakdown(_ series: [(labels: Labels, chunks: [EncodedChunk])]) throws {
        let directory = TestDirectory()
        defer { directory.remove() }
        let path = try BlockFixtures.writeBlock(series, in: directory.path, fileSystem: directory.fileSystem)
        for step in ["open", "open + series", "open + series + chunk bytes"] {
            var best = Duration.seconds(1000)
            for _ in 0..<50 {
                let start = ContinuousClock.now
                let reader = try BlockReader(fileSystem: directory.fileSystem, directory: path)
                if step != "open" {
                    for id in 0..<reader.seriesCount {
                        let chunks = try reader.series(id).chunks
                        if step.hasSuffix("bytes") { for meta in chunks { _ = try reader.chunkBytes(meta.ref) } }
                    }
                }
                best = min(best, ContinuousClock.now - start)
            }
            print("\(step): \(best)")
        }
    }

    static func microseconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) * 1e6 + Double(duration.components.attoseconds) / 1e12
    }

    /// Decodes every chunk from memory, without the block: the baseline for `readAll`; best of 10.
    static func decodeOnly(_ chunks: [[UInt8]]) throws -> (Int, Duration) {
        var best = Duration.seconds(1000)
        var decoded = 0
        var buffer: [Sample] = []
        buffer.reserveCapacity(CompactChunkCodec.maxCount)
        for _ in 0..<10 {
            decoded = 0
            let start = ContinuousClock.now
            for chunk in chunks {
                buffer.removeAll(keepingCapacity: true)
                try CompactChunkCodec.decode(chunk[...], appendingTo: &buffer)
                decoded += buffer.count
            }
            best = min(best, ContinuousClock.now - start)
        }
        return (decoded, best)
    }

    /// Opens the block and decodes every sample of every series; best of 10.
    static func readAll(_ path: String, _ fs: any FileSystem) throws -> (Int, Duration) {
        var best = Duration.seconds(1000)
        var decoded = 0
        var buffer: [Sample] = []
        buffer.reserveCapacity(CompactChunkCodec.maxCount)
        for _ in 0..<10 {
            decoded = 0
            let start = ContinuousClock.now
            let reader = try BlockReader(fileSystem: fs, directory: path)
            for id in 0..<reader.seriesCount {
                for meta in try reader.series(id).chunks {
                    buffer.removeAll(keepingCapacity: true)
                    try CompactChunkCodec.decode(try reader.chunkBytes(meta.ref), appendingTo: &buffer)
                    decoded += buffer.count
                }
            }
            best = min(best, ContinuousClock.now - start)
        }
        return (decoded, best)
    }
}
