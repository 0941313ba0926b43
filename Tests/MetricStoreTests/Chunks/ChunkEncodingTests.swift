import Testing

@testable import MetricStore

struct ChunkEncodingTests {
    @Test(arguments: [(UInt8(1), ChunkEncoding.xor), (2, .compact), (0, .unknown(0)), (3, .unknown(3)), (255, .unknown(255))])
    func rawValuesNeverChange(raw: UInt8, encoding: ChunkEncoding) {
        #expect(ChunkEncoding(rawValue: raw) == encoding)
        #expect(encoding.rawValue == raw)
    }

    @Test func decodesEitherEncodingByItsTag() throws {
        let samples = ChunkTestPatterns.samples(.jittered, .mixed, count: 120, seed: 12)
        var appender = XORChunkAppender()
        for sample in samples { try appender.append(sample) }
        var decoded: [Sample] = []
        try ChunkEncoding.xor.decode(appender.chunk.bytes[...], appendingTo: &decoded)
        try ChunkEncoding.compact.decode(CompactChunkCodec.encode(samples)[...], appendingTo: &decoded)
        #expect(decoded == samples + samples)
        #expect(throws: DecodeError(offset: 0, expected: "chunk encoding 1 (xor) or 2 (compact)", found: "7")) {
            try ChunkEncoding(rawValue: 7).decode([0x01][...], appendingTo: &decoded)
        }
    }
}
