import Testing

@testable import MetricStore
import TestSupport

struct CompactChunkCodecTests {
    static func samples(_ pairs: [(Int64, Double)]) -> [Sample] {
        pairs.map { Sample(timestamp: $0.0, value: $0.1) }
    }

    /// Small chunks of every encoding, their exact bytes, and why.
    static let golden: [(name: String, samples: [Sample], bytes: [UInt8])] = [
        ("delta-of-delta timestamps, decimal deltas with divisor",
         samples([(1000, 1), (2000, 1), (3001, 3), (4001, 2.5)]),
         // 04 count · 03 dod, t0 d0 0f (ZigZag 1000), Δ1 e8 07, dods +1 −1 ·
         // 05 delta, exponent ff (−1), m0 14 (10), divisor 05, (0 +20 −5)/5 → 00 08 01, 00 exceptions
         [0x04, 0x03, 0xd0, 0x0f, 0xe8, 0x07, 0x02, 0x01, 0x05, 0xff, 0x14, 0x05, 0x00, 0x08, 0x01, 0x00]),
        ("regular timestamps, decimal constant",
         samples([(0, 7), (15_000, 7), (30_000, 7)]),
         // 03 · 01 regular, t0 00, interval 98 75 (15000) · 03 constant, exponent 00, m 0e (7), 00
         [0x03, 0x01, 0x00, 0x98, 0x75, 0x03, 0x00, 0x0e, 0x00]),
        ("a constant ending in a stale marker",
         samples([(1000, 5), (2000, StaleMarker.value)]),
         // 02 · 01 regular d0 0f e8 07 · 03 constant 00 0a (5) · 01 exception: gap 01,
         // 7ff0000000000002 (stale) XOR 4014000000000000 (5.0, its placeholder mantissa)
         [0x02, 0x01, 0xd0, 0x0f, 0xe8, 0x07, 0x03, 0x00, 0x0a, 0x01, 0x01,
          0x3f, 0xe4, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02]),
        ("float noise next to a short decimal: an exception of a few low bits",
         samples([(0, 45.208), (1000, 47.637), (2000, 306.31600000000003)]),
         // (306316 * 0.001, as node_exporter computes disk times.) 03 · 01 regular 00 e8 07 ·
         // 05 delta (a tie with delta-of-delta at 5 bytes), exponent fd (−3), m0 b0 c2 05
         // (45208), divisor 01, +2429 fa 25, +258679 ee c9 1f (its nearest decimal, 306.316) ·
         // 01 exception: gap 02, 306.31600000000003 XOR 306.316 = 7, three low bits
         [0x03, 0x01, 0x00, 0xe8, 0x07, 0x05, 0xfd, 0xb0, 0xc2, 0x05, 0x01, 0xfa, 0x25, 0xee, 0xc9, 0x1f,
          0x01, 0x02, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x07]),
        ("raw values",
         samples([(1, .infinity), (2, -.infinity)]),
         // 02 · 01 regular 02 (1) 01 · 02 raw, two 8-byte patterns
         [0x02, 0x01, 0x02, 0x01, 0x02,
          0x7f, 0xf0, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xff, 0xf0, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00]),
        ("constant raw",
         samples([(5, StaleMarker.value), (6, StaleMarker.value)]),
         // 02 · 01 regular 0a (5) 01 · 01 constant raw, one pattern
         [0x02, 0x01, 0x0a, 0x01, 0x01, 0x7f, 0xf0, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02]),
        ("a counter at a steady rate: delta-of-delta mantissas",
         samples([(0, 0), (1000, 1000), (2000, 2001), (3000, 3003), (4000, 4006)]),
         // 05 · 01 regular 00 e8 07 · 06 dod, exponent 00, m0 00, divisor 01, Δ1 d0 0f (1000),
         // dods +1 +1 +1 → 02 02 02, 00 exceptions
         [0x05, 0x01, 0x00, 0xe8, 0x07, 0x06, 0x00, 0x00, 0x01, 0xd0, 0x0f, 0x02, 0x02, 0x02, 0x00]),
        ("10 s scrapes jittered ±40 ms: intervals minus a nominal 10 s",
         samples([(0, 1), (10_040, 1), (20_000, 1), (30_030, 1), (40_000, 1)]),
         // 05 · 02 nominal, t0 00, nominal 90 4e (10000), +40 −40 +30 −30 → 50 4f 3c 3b ·
         // 03 constant 00 02 (1) 00
         [0x05, 0x02, 0x00, 0x90, 0x4e, 0x50, 0x4f, 0x3c, 0x3b, 0x03, 0x00, 0x02, 0x00]),
        ("a step: delta-constant mantissas",
         samples([(0, 0.5), (1, 0.75), (2, 1)]),
         // 03 · 01 regular 00 01 · 04 delta-constant, exponent fe (−2), m0 64 01 (50), step 32 (25), 00
         [0x03, 0x01, 0x00, 0x01, 0x04, 0xfe, 0x64, 0x32, 0x00]),
    ]

    @Test(arguments: golden.indices)
    func goldenBytes(index: Int) throws {
        let (name, samples, bytes) = Self.golden[index]
        #expect(CompactChunkCodec.encode(samples) == bytes, "\(name)")
        #expect(try CompactChunkCodec.decode(bytes) == samples, "\(name)")
    }

    @Test(arguments: ChunkTestPatterns.allPatterns.map { "\($0.0.rawValue)/\($0.1.rawValue)" })
    func seededRandomRoundTrip(pattern: String) throws {
        let (timestamps, values) = XORChunkTests.pattern(named: pattern)
        for (seed, count) in [(1, 1), (2, 2), (3, 3), (4, 120), (5, 1000)] as [(UInt64, Int)] {
            let samples = ChunkTestPatterns.samples(timestamps, values, count: count, seed: seed)
            let bytes = CompactChunkCodec.encode(samples)
            #expect(try CompactChunkCodec.decode(bytes) == samples, "\(pattern) seed \(seed)")
        }
    }

    @Test func theLargestChunkRoundTrips() throws {
        let samples = ChunkTestPatterns.samples(.jittered, .mixed, count: CompactChunkCodec.maxCount, seed: 6)
        #expect(try CompactChunkCodec.decode(CompactChunkCodec.encode(samples)) == samples)
    }

    @Test(arguments: ChunkTestPatterns.specialValues)
    func everySpecialFloatPatternRoundTrips(special: Double) throws {
        let cases: [[Double]] = [
            [special],                      // alone
            [special, special, special],    // constant
            [1, 2, special, 4, 5],          // an exception among integers
            [special, 0.5, 0.25],           // a leading exception
            [3.25, special],                // a trailing one
            [special, .nan, special, -0.0], // nothing decimal
        ]
        for values in cases {
            let samples = values.enumerated().map { Sample(timestamp: Int64($0.offset) * 1000, value: $0.element) }
            let decoded = try CompactChunkCodec.decode(CompactChunkCodec.encode(samples))
            #expect(decoded.map(\.value.bitPattern) == samples.map(\.value.bitPattern), "\(values)")
        }
    }

    @Test func integerCounterCostsItsDifferences() {
        // Increments under 64: one byte each before zstd, whatever the counter's magnitude.
        var random = SplitMix64(seed: 3)
        var value = 123_456_789_012.0
        var samples: [Sample] = []
        for index in 0..<120 {
            samples.append(Sample(timestamp: Int64(index) * 1000, value: value))
            value += Double(Int.random(in: 0...63, using: &random))
        }
        // count 1 · timestamps 1 + 1 + 2 · values 1 + 1 + 6 (m0) + divisor 1 + 119 + exceptions 1
        #expect(CompactChunkCodec.encode(samples).count <= 1 + 4 + 10 + 119)
    }

    @Test func pageGranularGaugeIsDividedByItsGCD() throws {
        var random = SplitMix64(seed: 4)
        var value = 24_626_987_008.0
        var samples: [Sample] = []
        for index in 0..<120 {
            samples.append(Sample(timestamp: Int64(index) * 1000, value: value))
            value += Double(Int.random(in: -60...60, using: &random) * 4096)
        }
        let bytes = CompactChunkCodec.encode(samples)
        // Without the divisor each difference would take 3 varint bytes.
        #expect(bytes.count < 1 + 4 + 12 + 119 * 2)
        #expect(try CompactChunkCodec.decode(bytes) == samples)
    }

    @Test func decodeAppendsAfterExistingSamples() throws {
        var buffer = [Sample(timestamp: -5, value: 9)]
        try CompactChunkCodec.decode(Self.golden[0].bytes[...], appendingTo: &buffer)
        #expect(buffer == [Sample(timestamp: -5, value: 9)] + Self.golden[0].samples)
    }

    @Test func extremeTimestampsRoundTrip() throws {
        let samples = [
            Sample(timestamp: .min, value: 1), Sample(timestamp: -1, value: 2),
            Sample(timestamp: .max - 1, value: 3), Sample(timestamp: .max, value: 4),
        ]
        #expect(try CompactChunkCodec.decode(CompactChunkCodec.encode([samples[0], samples[1]])) == [samples[0], samples[1]])
        #expect(try CompactChunkCodec.decode(CompactChunkCodec.encode(Array(samples[1...]))) == Array(samples[1...]))
    }
}
