import Testing

@testable import MetricStore
import TestSupport

struct CompactChunkGroupTests {
    /// 40 series of one target: the same jittered scrape timestamps, each its own values.
    static let chunks: [[UInt8]] = (0..<40).map { index in
        let timestamps = ChunkTestPatterns.samples(.jittered, .constant, count: 120, seed: 1).map(\.timestamp)
        let values = ChunkTestPatterns.samples(.jittered, index % 2 == 0 ? .constant : .counter, count: 120, seed: UInt64(index)).map(\.value)
        return CompactChunkCodec.encode(zip(timestamps, values).map { Sample(timestamp: $0, value: $1) })
    }

    @Test func roundTrip() throws {
        let group = try CompactChunkGroup.decompress(CompactChunkGroup.compress(Self.chunks)[...])
        #expect(group.count == Self.chunks.count)
        for (index, chunk) in Self.chunks.enumerated() {
            #expect(Array(group[index]) == chunk)
        }
        #expect(try CompactChunkGroup.decompress(CompactChunkGroup.compress([])[...]).count == 0)
    }

    @Test func zstdFindsWhatChunksShare() {
        // The timestamp sections repeat in every chunk, and 20 chunks are the same constant:
        // the group costs about the 20 counters' differences.
        let raw = Self.chunks.reduce(0) { $0 + $1.count }
        let counters = Self.chunks.enumerated().filter { $0.offset % 2 == 1 }.reduce(0) { $0 + $1.element.count - 125 }
        #expect(CompactChunkGroup.compress(Self.chunks).count < counters + raw / 10)
    }

    @Test func corruptGroupsAreRefused() {
        let group = CompactChunkGroup.compress(Self.chunks)
        #expect(throws: DecodeError(offset: 0, expected: "raw group size <uvarint>", found: "end of data")) {
            try CompactChunkGroup.decompress([][...])
        }
        #expect(throws: DecodeError(offset: 0, expected: "a raw group size of at most 67108864", found: "134217728")) {
            try CompactChunkGroup.decompress([0x80, 0x80, 0x80, 0x40][...])
        }
        #expect(throws: DecodeError.self) { try CompactChunkGroup.decompress(group.dropLast(3)) }
        var lied = group
        lied[0] ^= 0x01  // the raw size no longer matches the frame
        #expect(throws: DecodeError.self) { try CompactChunkGroup.decompress(lied[...]) }

        // A directory that claims more bytes than the group holds.
        let badDirectory = CompactChunkGroup.compress([[1, 2, 3]])
        var raw = try! CompactChunkGroup.decompress(badDirectory[...]).raw
        raw[1] = 9
        let frame = Zstd.compress(raw)
        var rewritten = ByteWriter()
        rewritten.putUvarint(UInt64(raw.count))
        rewritten.putBytes(frame)
        #expect(throws: DecodeError(offset: 2, expected: "chunk 0 of 9 bytes", found: "3 bytes left")) {
            try CompactChunkGroup.decompress(rewritten.bytes[...])
        }
    }

    @Test func bitFlipsNeverTrap() {
        var random = SplitMix64(seed: 8)
        let group = CompactChunkGroup.compress(Array(Self.chunks.prefix(6)))
        for _ in 0..<2000 {
            var bytes = group
            bytes[Int.random(in: 0..<bytes.count, using: &random)] ^= 1 << UInt8.random(in: 0...7, using: &random)
            if let decoded = try? CompactChunkGroup.decompress(bytes[...]) {
                for index in 0..<decoded.count { _ = try? CompactChunkCodec.decode(decoded[index], appendingTo: &Self.scratch) }
            }
        }
    }

    nonisolated(unsafe) static var scratch: [Sample] = []
}
