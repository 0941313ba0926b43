import Testing

@testable import MetricStore
import TestSupport

/// Corrupt and truncated compact chunks: every one is refused with the offset and what was
/// expected there, and none traps.
struct CompactChunkDecodingErrorTests {
    static let valid = CompactChunkCodecTests.golden[0].bytes

    @Test(arguments: [
        ([], DecodeError(offset: 0, expected: "sample count <uvarint>", found: "end of data")),
        ([0x00], DecodeError(offset: 0, expected: "a sample count of 1...65535", found: "0")),
        ([0x80, 0x80, 0x04], DecodeError(offset: 0, expected: "a sample count of 1...65535", found: "65536")),
        ([0x01], DecodeError(offset: 1, expected: "timestamp encoding <1 byte>", found: "end of data")),
        ([0x02, 0x09, 0x00, 0x01], DecodeError(offset: 1, expected: "timestamp encoding 1, 2 or 3", found: "9")),
        ([0x01, 0x00, 0x00, 0x01, 0x00], DecodeError(offset: 1, expected: "timestamp encoding 1, 2 or 3", found: "0")),
        ([0x02, 0x01, 0x00, 0x00], DecodeError(offset: 3, expected: "an interval keeping 2 timestamps increasing within 64 bits", found: "interval 0")),
        ([0x03, 0x02, 0x00, 0xe8, 0x07, 0x00, 0xcf, 0x0f],
         DecodeError(offset: 6, expected: "a timestamp after 1000", found: "interval 0")),
        ([0x02, 0x03, 0x00, 0x00], DecodeError(offset: 3, expected: "a timestamp after 0", found: "interval 0")),
        ([0x01, 0x01, 0x00, 0x07], DecodeError(offset: 3, expected: "value encoding 1...6", found: "7")),
        ([0x01, 0x01, 0x00, 0x03, 0x17, 0x00, 0x00],
         DecodeError(offset: 4, expected: "a decimal exponent within ±22", found: "23")),
        ([0x02, 0x01, 0x00, 0x01, 0x05, 0x00, 0x00, 0x00, 0x02],
         DecodeError(offset: 7, expected: "a difference divisor of 1...2^54", found: "0")),
        ([0x02, 0x01, 0x00, 0x01, 0x03, 0x00, 0x00, 0x03],
         DecodeError(offset: 7, expected: "at most 2 exceptions", found: "3")),
        ([0x02, 0x01, 0x00, 0x01, 0x03, 0x00, 0x00, 0x01, 0x02, 0, 0, 0, 0, 0, 0, 0, 0],
         DecodeError(offset: 8, expected: "an exception index below 2", found: "gap 2 after index -1")),
        ([0x02, 0x01, 0x00, 0x01, 0x02, 0x00],
         DecodeError(offset: 5, expected: "2 raw values (16 bytes)", found: "1 bytes")),
        ([0x03, 0x01, 0x00, 0x01, 0x05, 0x00, 0x00, 0x01, 0x02],
         DecodeError(offset: 9, expected: "mantissa difference <varint>", found: "end of data")),
        ([0x01, 0x01, 0x00, 0x03, 0x00, 0x00, 0x00, 0x00],
         DecodeError(offset: 7, expected: "end of compact chunk", found: "1 more bytes")),
    ] as [([UInt8], DecodeError)])
    func refusedWithOffsetAndExpectation(bytes: [UInt8], error: DecodeError) {
        #expect(throws: error) { try CompactChunkCodec.decode(bytes) }
    }

    @Test func truncatedAtEveryLength() {
        for (name, _, bytes) in CompactChunkCodecTests.golden {
            for length in 0..<bytes.count {
                #expect(throws: DecodeError.self, "\(name), \(length) bytes") { try CompactChunkCodec.decode(Array(bytes[..<length])) }
            }
        }
    }

    @Test func aFailedDecodeAppendsNothing() {
        var buffer = [Sample(timestamp: 1, value: 1)]
        #expect(throws: DecodeError.self) { try CompactChunkCodec.decode(Self.valid.dropLast(), appendingTo: &buffer) }
        #expect(buffer == [Sample(timestamp: 1, value: 1)])
    }

    @Test func bitFlipsAndRandomBytesNeverTrap() {
        var random = SplitMix64(seed: 77)
        let chunks = ChunkTestPatterns.allPatterns.enumerated().map { index, pattern in
            CompactChunkCodec.encode(ChunkTestPatterns.samples(pattern.0, pattern.1, count: 120, seed: UInt64(index)))
        }
        for _ in 0..<3000 {
            var bytes = chunks.randomElement(using: &random)!
            for _ in 0..<Int.random(in: 1...3, using: &random) {
                bytes[Int.random(in: 0..<bytes.count, using: &random)] ^= 1 << UInt8.random(in: 0...7, using: &random)
            }
            _ = try? CompactChunkCodec.decode(bytes)
        }
        for _ in 0..<3000 {
            let bytes = (0..<Int.random(in: 0...40, using: &random)).map { _ in UInt8.random(in: 0...255, using: &random) }
            _ = try? CompactChunkCodec.decode(bytes)
        }
    }
}
