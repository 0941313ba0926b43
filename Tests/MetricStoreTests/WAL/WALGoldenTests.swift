import Testing
@testable import MetricStore

/// Pins the bytes of a small segment, so that a format change cannot slip in unnoticed
/// (docs/format/wal.md describes every byte below).
@Suite struct WALGoldenTests {
    /// Record 1, series: type 1, length 30, crc; ref 1, 2 labels, "__name__" "up" "job" "node".
    /// Record 2, samples: type 2, length 38, crc; base ref 1, base t 1000; then per sample
    /// Δref 0, Δt 0 (zigzag varints), value 1.0; Δref 0, Δt 15000 (zigzag 30000 = b0 ea 01),
    /// the stale marker NaN.
    static let golden = """
        01 0000001e b6cbb5cb
           0000000000000001 02 08 5f5f6e616d655f5f 02 7570 03 6a6f62 04 6e6f6465
        02 00000026 66280b5d
           0000000000000001 00000000000003e8
           00 00 3ff0000000000000
           00 b0ea01 7ff0000000000002
        """

    private func writeSegment() throws -> [UInt8] {
        let fs = WALFixtures.fileSystem()
        let (wal, _, _) = try WALFixtures.open(fs)
        try wal.log(series: [WALSeries(ref: SeriesRef(1), labels: Labels(["__name__": "up", "job": "node"]))])
        try wal.log(samples: [
            WALFixtures.sample(1, 1000, 1),
            WALFixtures.sample(1, 16_000, StaleMarker.value),
        ])
        try wal.close()
        return try fs.read(WALFixtures.directory + "/00000000")
    }

    @Test func segmentBytes() throws {
        let bytes = try writeSegment()
        #expect(WALFixtures.hex(bytes) == WALFixtures.hex(WALFixtures.bytes(hex: Self.golden)))
    }

    @Test func goldenSegmentReplays() throws {
        let fs = WALFixtures.fileSystem()
        try fs.createDirectory(WALFixtures.directory)
        let file = try fs.create(WALFixtures.directory + "/00000000")
        try file.write(WALFixtures.bytes(hex: Self.golden))
        let (records, report) = try WALFixtures.replay(fs)
        #expect(report.corruptions.isEmpty && report.tornTail == nil)
        #expect(records == [
            .series([WALSeries(ref: SeriesRef(1), labels: Labels(["__name__": "up", "job": "node"]))]),
            .samples([WALFixtures.sample(1, 1000, 1), WALFixtures.sample(1, 16_000, StaleMarker.value)]),
        ])
    }

    /// The checksums in the golden bytes, recomputed from the documented rule (type, length
    /// and payload) rather than by the code under test's framing.
    @Test func goldenChecksumsFollowTheDocumentedRule() {
        let bytes = WALFixtures.bytes(hex: Self.golden)
        var offset = 0
        while offset + 9 <= bytes.count {
            let length = Int(bytes[offset + 1]) << 24 | Int(bytes[offset + 2]) << 16 | Int(bytes[offset + 3]) << 8 | Int(bytes[offset + 4])
            let stored = UInt32(bytes[offset + 5]) << 24 | UInt32(bytes[offset + 6]) << 16 | UInt32(bytes[offset + 7]) << 8 | UInt32(bytes[offset + 8])
            guard offset + 9 + length <= bytes.count else { break }
            let covered = Array(bytes[offset..<offset + 5]) + Array(bytes[offset + 9..<offset + 9 + length])
            #expect(CRC32C.checksum(covered) == stored)
            offset += 9 + length
        }
        #expect(offset == bytes.count)
    }
}
