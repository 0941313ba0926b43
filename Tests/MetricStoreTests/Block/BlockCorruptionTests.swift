@testable import MetricStore
import Testing
import TestSupport

/// Damaged files are reported as corruption of the right file at the right offset, and no
/// damage makes the reader trap.
@Suite struct BlockCorruptionTests {
    /// Three series, a chunk of noise each (stored uncompressed), one frame per chunk:
    /// frames at 8, 31 and 64 of `chunks/000001`, which is 107 bytes.
    static let series = [10, 20, 30].enumerated().map { index, length in
        (Labels(["__name__": "m", "i": "\(index)"]),
         [BlockFixtures.chunk(minTime: 0, samples: 5, seed: UInt64(index), length: length, compressible: false)])
    }
    static let frameOffsets = [8, 31, 64]
    static let lengths = [10, 20, 30]
    static let segment = BlockFileNames.segmentPath(1)

    struct Block {
        let directory = TestDirectory()
        let path: String

        init() throws {
            path = try BlockFixtures.writeBlock(
                BlockCorruptionTests.series, in: directory.path, fileSystem: directory.fileSystem,
                options: BlockWriterOptions(frameSize: 1))
        }

        func bytes(_ file: String) throws -> [UInt8] {
            try directory.fileSystem.read(BlockFileNames.join(path, file))
        }

        func replace(_ file: String, with bytes: [UInt8]) throws {
            let handle = try directory.fileSystem.create(BlockFileNames.join(path, file))
            try handle.write(bytes)
            try handle.close()
        }

        /// Opens the block and reads every chunk; the first error, or nil.
        func readAll() -> BlockReadError? {
            do {
                let reader = try BlockReader(fileSystem: directory.fileSystem, directory: path)
                for id in 0..<reader.seriesCount {
                    for meta in try reader.series(id).chunks { _ = try reader.chunk(meta) }
                }
                return nil
            } catch {
                return error
            }
        }
    }

    static func corruption(_ error: BlockReadError?) -> BlockCorruptionError? {
        if case .corrupt(let corruption)? = error { return corruption }
        return nil
    }

    @Test func intactBlockReads() throws {
        let block = try Block()
        defer { block.directory.remove() }
        #expect(block.readAll() == nil)
        #expect(try block.bytes(Self.segment).count == 107)
    }

    // MARK: index

    @Test func everyBitFlipOfTheIndexIsDetectedInTheIndex() throws {
        let block = try Block()
        defer { block.directory.remove() }
        let original = try block.bytes(BlockFileNames.index)
        for offset in original.indices {
            for bit in 0..<8 {
                var damaged = original
                damaged[offset] ^= 1 << bit
                try block.replace(BlockFileNames.index, with: damaged)
                let error = block.readAll()
                if offset == 4 {
                    #expect(error == .unsupportedVersion(block: block.path, file: "index", version: Int(damaged[4])))
                } else {
                    let corruption = Self.corruption(error)
                    #expect(corruption?.file == "index", "flip at \(offset) bit \(bit): \(String(describing: error))")
                    #expect(corruption?.block == block.path)
                    #expect((0..<original.count).contains(corruption?.offset ?? -1))
                }
            }
        }
    }

    @Test func aFlipInsideASectionIsReportedAtThatSectionsChecksum() throws {
        let block = try Block()
        defer { block.directory.remove() }
        let original = try block.bytes(BlockFileNames.index)
        let sections = Self.sections(original)
        for (index, section) in sections.enumerated() {
            var damaged = original
            damaged[section.data.lowerBound] ^= 0x40
            try block.replace(BlockFileNames.index, with: damaged)
            let corruption = Self.corruption(block.readAll())
            #expect(corruption?.offset == section.data.upperBound)
            #expect(corruption?.expected.hasPrefix("\(IndexSection(rawValue: index)!): frame crc32c") == true)
        }
        var damaged = original
        damaged[0] ^= 1
        try block.replace(BlockFileNames.index, with: damaged)
        #expect(Self.corruption(block.readAll())?.offset == 0)
    }

    @Test func flipsInCompressedSectionsAreDetectedBeforeDecompressing() throws {
        let directory = TestDirectory()
        defer { directory.remove() }
        let path = try BlockFixtures.writeBlock(
            BlockFixtures.randomSeries(count: 300, seed: 3), in: directory.path, fileSystem: directory.fileSystem)
        let indexPath = BlockFileNames.join(path, BlockFileNames.index)
        let original = try directory.fileSystem.read(indexPath)
        let sections = Self.sections(original)
        // The series section is big and regular enough for zstd.
        #expect(original[sections[IndexSection.series.rawValue].whole.lowerBound + 8] == FrameCodec.zstd.rawValue)
        func open(_ bytes: [UInt8]) throws -> BlockReadError? {
            let file = try directory.fileSystem.create(indexPath)
            try file.write(bytes)
            try file.close()
            do {
                _ = try BlockReader(fileSystem: directory.fileSystem, directory: path)
                return nil
            } catch {
                return error
            }
        }
        for (index, section) in sections.enumerated() {
            var damaged = original
            damaged[section.data.lowerBound + section.data.count / 2] ^= 0x04
            let corruption = Self.corruption(try open(damaged))
            #expect(corruption?.offset == section.data.upperBound)
            #expect(corruption?.expected.hasPrefix("\(IndexSection(rawValue: index)!): frame crc32c") == true)
        }
        for offset in stride(from: 5, to: original.count, by: 7) {
            var damaged = original
            damaged[offset] ^= UInt8(1 << (offset % 8))
            #expect(Self.corruption(try open(damaged))?.file == "index", "flip at \(offset)")
        }
    }

    @Test(arguments: [1, 4, 36, 50])
    func truncatedIndexIsDetected(cut: Int) throws {
        let block = try Block()
        defer { block.directory.remove() }
        let original = try block.bytes(BlockFileNames.index)
        try block.replace(BlockFileNames.index, with: Array(original.dropLast(cut)))
        let corruption = Self.corruption(block.readAll())
        #expect(corruption?.file == "index")
        // The last 36 bytes are now read as the TOC; their checksum is what fails first.
        #expect(corruption?.offset == original.count - cut - 4)
        #expect(corruption?.expected.hasPrefix("TOC crc32c") == true)
    }

    @Test func indexShorterThanItsSkeletonIsDetected() throws {
        let block = try Block()
        defer { block.directory.remove() }
        try block.replace(BlockFileNames.index, with: Array(try block.bytes(BlockFileNames.index).prefix(10)))
        let corruption = Self.corruption(block.readAll())
        #expect(corruption?.offset == 10)
        #expect(corruption?.expected == "an index of at least 93 bytes")
    }

    // MARK: chunks

    @Test func everyBitFlipOfTheSegmentIsDetectedInTheSegment() throws {
        let block = try Block()
        defer { block.directory.remove() }
        let original = try block.bytes(Self.segment)
        for offset in original.indices {
            for bit in 0..<8 {
                var damaged = original
                damaged[offset] ^= 1 << bit
                try block.replace(Self.segment, with: damaged)
                let error = block.readAll()
                if offset == 4 {
                    #expect(error == .unsupportedVersion(block: block.path, file: Self.segment, version: Int(damaged[4])))
                } else {
                    let corruption = Self.corruption(error)
                    #expect(corruption?.file == Self.segment, "flip at \(offset) bit \(bit): \(String(describing: error))")
                    #expect((0..<original.count).contains(corruption?.offset ?? -1))
                }
            }
        }
    }

    @Test(arguments: [0, 1, 2])
    func aFlippedPayloadByteIsReportedAtItsFramesChecksum(frame: Int) throws {
        let block = try Block()
        defer { block.directory.remove() }
        var damaged = try block.bytes(Self.segment)
        let payload = Self.frameOffsets[frame] + 9
        damaged[payload + Self.lengths[frame] / 2] ^= 0x10
        try block.replace(Self.segment, with: damaged)
        let reader = try BlockReader(fileSystem: block.directory.fileSystem, directory: block.path)
        // Only the damaged frame's chunk fails; the others still read.
        for id in 0..<3 {
            let meta = try reader.series(id).chunks[0]
            if id == frame {
                let corruption = Self.corruption(Result { () throws(BlockReadError) in try reader.chunk(meta) }.failure)
                #expect(corruption?.file == Self.segment)
                #expect(corruption?.offset == payload + Self.lengths[frame])
                #expect(corruption?.expected.hasPrefix("frame crc32c 0x") == true)
            } else {
                #expect(try reader.chunk(meta).bytes == Self.series[id].1[0].bytes)
            }
        }
    }

    @Test func truncatedSegmentIsReportedAtTheLastFramesLength() throws {
        let block = try Block()
        defer { block.directory.remove() }
        try block.replace(Self.segment, with: Array(try block.bytes(Self.segment).dropLast()))
        let corruption = Self.corruption(block.readAll())
        #expect(corruption?.file == Self.segment)
        #expect(corruption?.offset == Self.frameOffsets[2] + 4)
        #expect(corruption?.expected == "a stored length of at most 29 (the rest of the segment)")
    }

    @Test func segmentCutInsideItsHeaderIsDetectedOnOpen() throws {
        let block = try Block()
        defer { block.directory.remove() }
        try block.replace(Self.segment, with: [0x53, 0x57])
        #expect(block.readAll() == .corrupt(BlockCorruptionError(
            block: block.path, file: Self.segment, offset: 2, expected: "a segment header of 8 bytes", found: "2 bytes")))
    }

    @Test func missingSegmentIsDetected() throws {
        let block = try Block()
        defer { block.directory.remove() }
        try block.directory.fileSystem.remove(BlockFileNames.join(block.path, Self.segment))
        let corruption = Self.corruption(block.readAll())
        #expect(corruption?.file == Self.segment)
        #expect(corruption?.expected == "a segment the index refers to")
    }

    @Test func strayFileInChunksIsDetected() throws {
        let block = try Block()
        defer { block.directory.remove() }
        try block.replace(BlockFileNames.segmentPath(3), with: ChunkSegmentFormat.header())
        #expect(Self.corruption(block.readAll())?.file == BlockFileNames.segmentPath(3))
    }

    // MARK: meta.json

    @Test func truncatedMetaIsCorruptionAndANewerVersionIsNot() throws {
        let block = try Block()
        defer { block.directory.remove() }
        let original = try block.bytes(BlockFileNames.meta)
        try block.replace(BlockFileNames.meta, with: Array(original.prefix(40)))
        #expect(Self.corruption(block.readAll())?.file == "meta.json")
        #expect(Self.corruption(block.readAll())?.offset == 40)

        let newer = String(decoding: original, as: UTF8.self).replacing("\"version\": 1", with: "\"version\": 7")
        try block.replace(BlockFileNames.meta, with: Array(newer.utf8))
        #expect(block.readAll() == .unsupportedVersion(block: block.path, file: "meta.json", version: 7))
    }

    // MARK: helpers

    /// Each section's frame and the range of its (stored) data, from the TOC of an intact index.
    static func sections(_ index: [UInt8]) -> [(whole: Range<Int>, data: Range<Int>)] {
        var toc = ByteCursor(index[(index.count - IndexFormat.tocSize)...])
        let starts = (0..<4).map { _ in Int(toc.bigEndian64("offset")) } + [index.count - IndexFormat.tocSize]
        return (0..<4).map {
            (starts[$0]..<starts[$0 + 1], starts[$0] + CompressedFrame.headerSize..<starts[$0 + 1] - CompressedFrame.checksumSize)
        }
    }
}

extension Result {
    fileprivate var failure: Failure? {
        if case .failure(let error) = self { return error }
        return nil
    }
}
