import Testing

@testable import MetricStore
import TestSupport

struct XORChunkTests {
    static func chunk(_ samples: [Sample]) throws -> XORChunk {
        var appender = XORChunkAppender()
        for sample in samples { try appender.append(sample) }
        return appender.chunk
    }

    @Test func goldenBytes() throws {
        let samples = [
            Sample(timestamp: 1000, value: 1), Sample(timestamp: 2000, value: 1),
            Sample(timestamp: 3001, value: 3), Sample(timestamp: 4001, value: 2.5),
        ]
        let chunk = try Self.chunk(samples)
        // 00 04                    count 4
        // d0 0f                    t0 = 1000 (ZigZag 2000)
        // 3f f0 00 00 00 00 00 00  v0 = 1.0
        // e8 07                    Δ1 = 1000
        // then bits: 0 (1.0 repeats) · 10 0000001 (dod +1) · 10 0 00000100 (integer +2) ·
        // 10 1111111 (dod -1) · 11 1 01100 000010 11 (XOR 3.0^2.5: 12 leading, 2 bits) · 00 pad
        #expect(chunk.bytes == [
            0x00, 0x04, 0xd0, 0x0f, 0x3f, 0xf0, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
            0xe8, 0x07, 0x40, 0x60, 0x25, 0xff, 0xb0, 0x2c,
        ])
        #expect(chunk.count == 4)
        #expect(chunk.minTime == 1000)
        #expect(chunk.maxTime == 4001)
        #expect(try chunk.samples() == samples)
        #expect(try XORChunk(validating: chunk.bytes) == chunk)
    }

    @Test func emptyChunk() throws {
        let chunk = XORChunk()
        #expect(chunk.bytes == [0, 0])
        #expect(try chunk.samples().isEmpty)
        #expect(try XORChunk(validating: [0, 0]).count == 0)
    }

    @Test(arguments: ChunkTestPatterns.allPatterns.map { "\($0.0.rawValue)/\($0.1.rawValue)" })
    func seededRandomRoundTrip(pattern: String) throws {
        let (timestamps, values) = Self.pattern(named: pattern)
        for (seed, count) in [(1, 1), (2, 2), (3, 3), (4, 120), (5, 1000)] as [(UInt64, Int)] {
            let samples = ChunkTestPatterns.samples(timestamps, values, count: count, seed: seed)
            let chunk = try Self.chunk(samples)
            #expect(try chunk.samples() == samples, "\(pattern) seed \(seed)")
            let reopened = try XORChunk(validating: chunk.bytes)
            #expect(reopened.minTime == samples.first!.timestamp && reopened.maxTime == samples.last!.timestamp)
        }
    }

    @Test func everySpecialFloatPatternRoundTrips() throws {
        let specials = ChunkTestPatterns.specialValues
        // Each special after each other one, so every coder path sees every pair.
        var samples: [Sample] = []
        for (index, value) in (specials + specials.reversed() + specials.shuffled(using: &Self.random)).enumerated() {
            samples.append(Sample(timestamp: Int64(index) * 1000, value: value))
        }
        let chunk = try Self.chunk(samples)
        let decoded = try chunk.samples()
        #expect(decoded.map(\.value.bitPattern) == samples.map(\.value.bitPattern))
    }

    @Test func integerCounterTakesTwelveBitsPerSample() throws {
        // A regular grid and increments below 128: `0` (same interval) + `10` `0` + 8 bits.
        var random = SplitMix64(seed: 11)
        var value = 1_000_000.0
        var samples: [Sample] = []
        for index in 0..<120 {
            samples.append(Sample(timestamp: 1_700_000_000_000 + Int64(index) * 1000, value: value))
            value += Double(Int.random(in: 1...100, using: &random))
        }
        let chunk = try Self.chunk(samples)
        // count 16 + t0 varint 48 + v0 64 + Δ1 16 + first value 11 + 118 × 12, rounded up.
        let bits = 16 + 48 + 64 + 16 + 11 + 118 * 12
        #expect(chunk.bytes.count == (bits + 7) / 8)
        #expect(try chunk.samples() == samples)
    }

    @Test func constantSeriesTakesTwoBitsPerSample() throws {
        let samples = (0..<120).map { Sample(timestamp: Int64($0) * 15_000, value: 0.25) }
        let chunk = try Self.chunk(samples)
        // count 16 + t0 8 + v0 64 + Δ1 16 + 1 + 118 × 2.
        #expect(chunk.bytes.count == (16 + 8 + 64 + 16 + 1 + 118 * 2 + 7) / 8)
    }

    @Test(arguments: [0, -1, -1000])
    func outOfOrderAppendIsRefusedAndLeavesTheChunkAlone(offset: Int64) throws {
        var appender = XORChunkAppender()
        try appender.append(Sample(timestamp: 5000, value: 1))
        try appender.append(Sample(timestamp: 6000, value: 2))
        let before = appender.chunk
        #expect(throws: ChunkAppendError.outOfOrder(timestamp: 6000 + offset, last: 6000)) {
            try appender.append(Sample(timestamp: 6000 + offset, value: 3))
        }
        #expect(appender.chunk == before)
        try appender.append(Sample(timestamp: 7000, value: 3))
        #expect(try appender.chunk.samples().map(\.timestamp) == [5000, 6000, 7000])
    }

    @Test func aFullChunkRefusesMore() throws {
        var appender = XORChunkAppender()
        for index in 0..<XORChunk.maxCount {
            try appender.append(Sample(timestamp: Int64(index), value: 0))
        }
        #expect(throws: ChunkAppendError.full) { try appender.append(Sample(timestamp: 1 << 40, value: 0)) }
        #expect(appender.chunk.count == XORChunk.maxCount)
    }

    @Test func extremeTimestampsRoundTrip() throws {
        let samples = [
            Sample(timestamp: .min, value: 1), Sample(timestamp: -1, value: 2),
            Sample(timestamp: .max - 1, value: 3), Sample(timestamp: .max, value: 4),
        ]
        #expect(try Self.chunk(samples).samples() == samples)
    }

    @Test func takenChunksDoNotChangeWhenAppendingGoesOn() throws {
        var appender = XORChunkAppender()
        try appender.append(Sample(timestamp: 1, value: 1))
        let taken = appender.chunk
        try appender.append(Sample(timestamp: 2, value: 2))
        #expect(taken.count == 1)
        #expect(try taken.samples() == [Sample(timestamp: 1, value: 1)])
    }

    @Test func resumingAStoredChunkContinuesItsStream() throws {
        let samples = ChunkTestPatterns.samples(.jittered, .mixed, count: 200, seed: 3)
        let first = try Self.chunk(Array(samples[..<77]))
        var resumed = try XORChunkAppender(resuming: XORChunk(validating: first.bytes))
        for sample in samples[77...] { try resumed.append(sample) }
        #expect(resumed.chunk == (try Self.chunk(samples)))
    }

    @Test func truncatedChunksAreRefusedAtEveryLength() throws {
        let chunk = try Self.chunk(ChunkTestPatterns.samples(.gapped, .mixed, count: 50, seed: 9))
        for length in 0..<chunk.bytes.count {
            #expect(throws: DecodeError.self, "length \(length)") { try XORChunk(validating: Array(chunk.bytes[..<length])) }
        }
    }

    @Test func decoderErrorsSayWhatAndWhere() throws {
        let golden = try Self.chunk([Sample(timestamp: 1000, value: 1), Sample(timestamp: 2000, value: 1)]).bytes
        // 00 02 d0 0f 3f f0 00 00 00 00 00 00 e8 07 00
        #expect(throws: DecodeError(offset: 0, expected: "2-byte sample count", found: "1 bytes")) {
            try XORChunk(validating: [0x00])
        }
        var more = golden
        // Claims 16 samples. The zero padding reads as repeats (`0` `0`) for three more, as any
        // bit stream would; the block's checksum, not the chunk, guards the count.
        more[1] = 16
        #expect(throws: DecodeError(offset: 15, expected: "value prefix", found: "end of data")) {
            try XORChunk(validating: more)
        }
        #expect(throws: DecodeError(offset: 15, expected: "end of chunk after 2 samples", found: "1 more bytes")) {
            try XORChunk(validating: golden + [0])
        }
        var padding = golden
        padding[14] = 0x01
        #expect(throws: DecodeError(offset: 14, expected: "zero padding", found: "non-zero bits")) {
            try XORChunk(validating: padding)
        }
        var zeroDelta = golden
        zeroDelta[12] = 0x00
        zeroDelta[13] = 0x00
        #expect(throws: DecodeError(offset: 12, expected: "a timestamp after 1000", found: "a delta of 0")) {
            try XORChunk(validating: zeroDelta)
        }
    }

    @Test func bitFlipsNeverTrap() throws {
        var random = SplitMix64(seed: 99)
        let chunk = try Self.chunk(ChunkTestPatterns.samples(.jittered, .mixed, count: 120, seed: 5))
        for _ in 0..<3000 {
            var bytes = chunk.bytes
            for _ in 0..<Int.random(in: 1...3, using: &random) {
                bytes[Int.random(in: 0..<bytes.count, using: &random)] ^= 1 << UInt8.random(in: 0...7, using: &random)
            }
            // Either an error or some samples; never a trap.
            _ = try? XORChunk(validating: bytes)
        }
    }

    nonisolated(unsafe) static var random = SplitMix64(seed: 1)

    static func pattern(named name: String) -> (ChunkTestPatterns.TimestampPattern, ChunkTestPatterns.ValuePattern) {
        let parts = name.split(separator: "/").map(String.init)
        return (ChunkTestPatterns.TimestampPattern(rawValue: parts[0])!, ChunkTestPatterns.ValuePattern(rawValue: parts[1])!)
    }
}
