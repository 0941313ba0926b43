@testable import MetricStore
import Testing
import TestSupport

@Suite struct BlockRoundTripTests {
    @Test(arguments: [
        // Defaults: one frame per 64 KiB, one segment.
        BlockWriterOptions(),
        // Small frames and segments: hundreds of frames over several segment files.
        BlockWriterOptions(compressionLevel: 1, frameSize: 1024, segmentSize: 16 << 10),
        // A frame per chunk.
        BlockWriterOptions(frameSize: 1, segmentSize: 4096),
    ])
    func manySeededSeriesReadBackExactly(options: BlockWriterOptions) throws {
        let directory = TestDirectory()
        defer { directory.remove() }
        let input = BlockFixtures.randomSeries(count: 600, seed: 42)
        let path = try BlockFixtures.writeBlock(input, in: directory.path, fileSystem: directory.fileSystem, options: options)

        let reader = try BlockReader(fileSystem: directory.fileSystem, directory: path, cacheBytes: 8 << 10)
        let expected = input.sorted { IndexOrder.less($0.labels, $1.labels) }
        #expect(reader.seriesCount == expected.count)
        #expect(reader.meta.stats == BlockStats(
            series: expected.count, samples: expected.flatMap(\.chunks).map(\.sampleCount).reduce(0, +),
            chunks: expected.flatMap(\.chunks).count))
        #expect(reader.meta.minTime == expected.flatMap(\.chunks).map(\.minTime).min())
        #expect(reader.meta.maxTime == expected.flatMap(\.chunks).map(\.maxTime).max()! + 1)
        #expect(reader.meta.compaction == BlockCompaction(level: 1, sources: [BlockFixtures.id]))

        for (id, series) in expected.enumerated() {
            let stored = try reader.series(id)
            #expect(stored.labels == series.labels)
            let chunks = try stored.chunks.map { meta throws(BlockReadError) in try reader.chunk(meta) }
            #expect(chunks == series.chunks.sorted { $0.minTime < $1.minTime })
        }

        let pairs = expected.flatMap(\.labels.pairs)
        #expect(reader.labelNames() == Set(pairs.map(\.name)).sorted(by: IndexOrder.less))
        for name in reader.labelNames() {
            #expect(reader.labelValues(name) == Set(pairs.filter { $0.name == name }.map(\.value)).sorted(by: IndexOrder.less))
        }
        #expect(reader.labelValues("absent") == [])
    }

    @Test func chunksReadInAnyOrderAndConcurrently() async throws {
        let directory = TestDirectory()
        defer { directory.remove() }
        let input = BlockFixtures.randomSeries(count: 200, seed: 7)
        let path = try BlockFixtures.writeBlock(
            input, in: directory.path, fileSystem: directory.fileSystem, options: BlockWriterOptions(frameSize: 2048))
        let reader = try BlockReader(fileSystem: directory.fileSystem, directory: path, cacheBytes: 4096)
        let expected = input.sorted { IndexOrder.less($0.labels, $1.labels) }
        try await withThrowingTaskGroup(of: Void.self) { group in
            for task in 0..<8 {
                group.addTask {
                    var random = SplitMix64(seed: UInt64(task))
                    for id in (0..<reader.seriesCount).shuffled(using: &random) {
                        let chunks = try reader.series(id).chunks.map { meta throws(BlockReadError) in try reader.chunk(meta).bytes }
                        #expect(chunks == expected[id].chunks.sorted { $0.minTime < $1.minTime }.map(\.bytes))
                    }
                }
            }
            try await group.waitForAll()
        }
    }

    @Test func compressibleFramesAreStoredCompressedAndNoiseIsStoredAsItIs() throws {
        let directory = TestDirectory()
        defer { directory.remove() }
        let compressible = (0..<100).map { i in
            (Labels(["__name__": "c", "i": "\(i)"]),
             [BlockFixtures.chunk(minTime: 0, samples: 120, seed: 1, length: 200, compressible: true)])
        }
        let noise = (0..<100).map { i in
            (Labels(["__name__": "n", "i": "\(i)"]),
             [BlockFixtures.chunk(minTime: 0, samples: 120, seed: UInt64(i), length: 200, compressible: false)])
        }
        let path = try BlockFixtures.writeBlock(compressible + noise, in: directory.path, fileSystem: directory.fileSystem)
        let segment = try directory.fileSystem.read(BlockFileNames.join(path, BlockFileNames.segmentPath(1)))
        // One frame of 40,000 raw bytes: 20,000 compress to almost nothing, 20,000 do not.
        #expect(segment.count < 21_000)
        #expect(segment.count > 20_000)
        #expect(segment[8 + 8] == FrameCodec.zstd.rawValue)

        let noisePath = try BlockFixtures.writeBlock(
            noise, in: directory.path, fileSystem: directory.fileSystem, id: BlockID("01HZY3J5V6W7X8Y9Z0A1B2C3D5")!)
        let noiseSegment = try directory.fileSystem.read(BlockFileNames.join(noisePath, BlockFileNames.segmentPath(1)))
        #expect(noiseSegment[8 + 8] == FrameCodec.none.rawValue)
        #expect(noiseSegment.count == 8 + 9 + 20_000 + 4)
    }

    @Test func writerRejectsBadInputAndStaysUsable() throws {
        let directory = TestDirectory()
        defer { directory.remove() }
        let writer = try BlockWriter(fileSystem: directory.fileSystem, directory: directory.path, id: BlockFixtures.id)
        let good = BlockFixtures.chunk(minTime: 0, samples: 10, seed: 1, length: 10, compressible: true)
        let labels = Labels(["__name__": "up"])
        try writer.add(labels, chunks: [good])
        #expect(throws: BlockWriteError.duplicateSeries(labels)) { try writer.add(labels, chunks: [good]) }
        #expect(throws: BlockWriteError.invalidSeries(Labels.empty, reason: "a series needs at least one label")) {
            try writer.add(Labels.empty, chunks: [good])
        }
        let other = Labels(["__name__": "other"])
        #expect(throws: BlockWriteError.invalidSeries(other, reason: "chunks overlap at 0")) {
            try writer.add(other, chunks: [good, good])
        }
        var empty = good
        empty.bytes = []
        #expect(throws: BlockWriteError.invalidSeries(other, reason: "chunk of 0 bytes (1 to 16777216 allowed)")) {
            try writer.add(other, chunks: [empty])
        }
        var backwards = good
        backwards.maxTime = -1
        #expect(throws: BlockWriteError.invalidSeries(other, reason: "chunk [0, -1] with 10 samples")) {
            try writer.add(other, chunks: [backwards])
        }
        try writer.add(other, chunks: [])  // skipped
        #expect(throws: BlockWriteError.outsideTimeRange(minTime: 0, maxTime: good.maxTime)) {
            try writer.finish(timeRange: 1..<1_000_000)
        }
        let meta = try writer.finish(timeRange: 0..<7_200_000)
        #expect(meta.minTime == 0 && meta.maxTime == 7_200_000 && meta.stats.series == 1)
        #expect(throws: BlockWriteError.closed) { try writer.finish() }
        #expect(throws: BlockWriteError.blockExists(BlockFileNames.join(directory.path, BlockFixtures.id.description))) {
            try BlockWriter(fileSystem: directory.fileSystem, directory: directory.path, id: BlockFixtures.id)
        }
    }

    @Test func emptyBlockNeedsATimeRange() throws {
        let directory = TestDirectory()
        defer { directory.remove() }
        let writer = try BlockWriter(fileSystem: directory.fileSystem, directory: directory.path, id: BlockFixtures.id)
        #expect(throws: BlockWriteError.emptyBlock) { try writer.finish() }
        try writer.finish(timeRange: 0..<1000)
        let reader = try BlockReader(fileSystem: directory.fileSystem, directory: BlockFileNames.join(directory.path, BlockFixtures.id.description))
        #expect(reader.seriesCount == 0)
        #expect(reader.labelNames() == [])
        #expect(try reader.postings([]) == [])
    }

    @Test func abortAndLeftoversLeaveNoBlock() throws {
        let directory = TestDirectory()
        defer { directory.remove() }
        let writer = try BlockWriter(fileSystem: directory.fileSystem, directory: directory.path, id: BlockFixtures.id)
        try writer.add(Labels(["__name__": "up"]), chunks: [BlockFixtures.chunk(minTime: 0, samples: 1, seed: 1, length: 5, compressible: false)])
        writer.abort()
        #expect(try directory.fileSystem.list(directory.path) == [])

        // An interrupted write: the temporary directory stays until the next open.
        let second = BlockID("01HZY3J5V6W7X8Y9Z0A1B2C3D5")!
        let interrupted = try BlockWriter(fileSystem: directory.fileSystem, directory: directory.path, id: second)
        try interrupted.add(Labels(["__name__": "up"]), chunks: [BlockFixtures.chunk(minTime: 0, samples: 1, seed: 1, length: 5, compressible: false)])
        try BlockFixtures.writeBlock(
            [(Labels(["__name__": "up"]), [BlockFixtures.chunk(minTime: 0, samples: 1, seed: 1, length: 5, compressible: false)])],
            in: directory.path, fileSystem: directory.fileSystem)
        try directory.fileSystem.createDirectory(BlockFileNames.join(directory.path, "wal"))
        #expect(try BlockDirectory.blockIDs(in: directory.path, fileSystem: directory.fileSystem) == [BlockFixtures.id])
        #expect(try BlockDirectory.removeIncompleteBlocks(in: directory.path, fileSystem: directory.fileSystem)
            == [second.description + ".tmp"])
        #expect(try directory.fileSystem.list(directory.path) == [BlockFixtures.id.description, "wal"])
    }
}
