@testable import MetricStore
import Testing

@Suite struct ZstdTests {
    static let text = Array(String(repeating: "node_cpu_seconds_total{cpu=\"0\",mode=\"idle\"} ", count: 200).utf8)

    @Test(arguments: [Int32(1), 3, 19])
    func roundTrips(level: Int32) throws {
        let compressed = Zstd.compress(Self.text, level: level)
        #expect(compressed.count < Self.text.count / 10)
        #expect(try Zstd.decompress(compressed[...], expectedSize: Self.text.count, limit: 1 << 20) == Self.text)
    }

    @Test func emptyInputRoundTrips() throws {
        #expect(try Zstd.decompress(Zstd.compress([])[...], expectedSize: 0, limit: 0) == [])
    }

    @Test func refusesSizesAboveTheLimitBeforeAllocating() {
        #expect(throws: ZstdError.tooLarge(size: 1 << 40, limit: 1 << 20)) {
            try Zstd.decompress(Zstd.compress(Self.text)[...], expectedSize: 1 << 40, limit: 1 << 20)
        }
    }

    @Test func refusesAFrameOfAnotherSize() {
        let compressed = Zstd.compress(Self.text)
        #expect(throws: ZstdError.sizeMismatch(expected: 100, found: UInt64(Self.text.count))) {
            try Zstd.decompress(compressed[...], expectedSize: 100, limit: 1 << 20)
        }
    }

    @Test func refusesGarbageAndTruncatedFrames() {
        #expect(throws: ZstdError.self) { try Zstd.decompress([1, 2, 3, 4, 5, 6, 7, 8][...], expectedSize: 8, limit: 64) }
        let compressed = Zstd.compress(Self.text)
        #expect(throws: ZstdError.self) {
            try Zstd.decompress(compressed.dropLast(3), expectedSize: Self.text.count, limit: 1 << 20)
        }
    }
}
