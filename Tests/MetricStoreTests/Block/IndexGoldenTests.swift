@testable import MetricStore
import Testing

@Suite struct IndexGoldenTests {
    /// Two series, three chunks: the second series' chunks share a frame, the third chunk is
    /// in a later frame, so both the same-frame and the new-frame forms of a chunk meta appear.
    static let series = [
        BlockSeries(labels: Labels(["__name__": "up", "job": "a"]), chunks: [
            BlockChunkMeta(minTime: 1000, maxTime: 2000, sampleCount: 2, encoding: 2,
                           ref: BlockChunkRef(segment: 1, frameOffset: 8, offsetInFrame: 0, length: 3)),
        ]),
        BlockSeries(labels: Labels(["__name__": "up", "job": "b"]), chunks: [
            BlockChunkMeta(minTime: 1000, maxTime: 1000, sampleCount: 1, encoding: 2,
                           ref: BlockChunkRef(segment: 1, frameOffset: 8, offsetInFrame: 3, length: 2)),
            BlockChunkMeta(minTime: 1500, maxTime: 3000, sampleCount: 3, encoding: 2,
                           ref: BlockChunkRef(segment: 1, frameOffset: 30, offsetInFrame: 0, length: 4)),
        ]),
    ]

    /// The pinned bytes (docs/format/index.md), one field or section per line. Every section is
    /// a frame: raw length, stored length, codec (0: these are too small for zstd to pay),
    /// data, CRC-32C of header and data. Changing these bytes is a format change.
    static let golden = [
        "53574958", "01",                                   // magic "SWIX", version 1
        // symbol table at 5: 21 bytes, stored as they are; 5 symbols
        "00000015", "00000015", "00",
        "05", "08" + "5f5f6e616d655f5f", "01" + "61", "01" + "62", "03" + "6a6f62", "02" + "7570",
        "ad12696e",
        // series at 39: 44 bytes; 2 series
        "0000002c", "0000002c", "00",
        "02",
        // {__name__="up", job="a"}: 16 bytes, labels (0,4) (3,1), 1 chunk:
        // minTime 1000 (zigzag 2000), +1000, 2 samples, encoding 2, segment 1, frame 8, offset 0, length 3
        "10", "02", "0004", "0301", "01", "d00f", "e807", "02", "02", "01", "08", "00", "03",
        // {__name__="up", job="b"}: 25 bytes, labels (0,4) (3,2), 2 chunks:
        // minTime 1000, +0, 1 sample, encoding 2, segment 1, frame 8, offset 3, length 2;
        // gap 500, +1500, 3 samples, encoding 2, same segment, frame +22, offset 0 (new frame), length 4
        "19", "02", "0004", "0302", "02", "d00f", "00", "01", "02", "01", "08", "03", "02",
        "f403", "dc0b", "03", "02", "00", "16", "00", "04",
        "6a04891c",
        // postings at 96: 7 bytes; __name__=up [0 1], job=a [0], job=b [1]
        "00000007", "00000007", "00", "02" + "00" + "01", "01" + "00", "01" + "01", "c3b57a3b",
        // postings offset table at 116: 10 bytes; 3 entries (name ref, value ref, offset)
        "0000000a", "0000000a", "00", "03", "000400", "030103", "030205", "de1de3db",
        // TOC: section offsets 5, 39, 96, 116 and its crc
        "0000000000000005", "0000000000000027", "0000000000000060", "0000000000000074", "d63fca75",
    ].joined()

    static func hex(_ bytes: [UInt8]) -> String {
        bytes.map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined()
    }

    static func bytes(_ hex: String) -> [UInt8] {
        let digits = Array(hex.utf8)
        return stride(from: 0, to: digits.count, by: 2).map { UInt8(String(decoding: digits[$0..<$0 + 2], as: UTF8.self), radix: 16)! }
    }

    @Test func writesTheGoldenBytes() {
        #expect(Self.hex(IndexWriter.encode(Self.series)) == Self.golden)
    }

    @Test func readsTheGoldenBytes() throws {
        let index = try IndexReader(bytes: Self.bytes(Self.golden), block: "golden")
        #expect(index.symbols == ["__name__", "a", "b", "job", "up"])
        #expect(try (0..<index.seriesCount).map { id throws(BlockReadError) in try index.series(id) } == Self.series)
        #expect(index.pairs == [IndexLabelPair(name: 0, value: 4), IndexLabelPair(name: 3, value: 1), IndexLabelPair(name: 3, value: 2)])
        #expect(try index.postings(pairIndex: 0) == [0, 1])
        #expect(try index.postings(pairIndex: 2) == [1])
    }
}
