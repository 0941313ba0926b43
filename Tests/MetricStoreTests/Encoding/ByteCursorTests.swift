import Testing

@testable import MetricStore
import TestSupport

struct ByteCursorTests {
    @Test func truncatedUvarintSaysWhatAndWhere() {
        var cursor = ByteCursor([0x05, 0x80, 0x80])
        let read1 = cursor.byte("tag")
        #expect(read1 == 5)
        let read2 = cursor.uvarint("sample count <uvarint>")
        #expect(read2 == 0)
        #expect(cursor.error == DecodeError(offset: 1, expected: "sample count <uvarint>", found: "end of data"))
        #expect(cursor.error?.description == "at offset 1: expected sample count <uvarint>, found end of data")
    }

    @Test func overlongUvarintIsRefused() {
        var cursor = ByteCursor([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x02])
        _ = cursor.uvarint("length")
        #expect(cursor.error == DecodeError(offset: 0, expected: "length", found: "a varint longer than 64 bits"))
        var eleven = ByteCursor([UInt8](repeating: 0x80, count: 10) + [0x00])
        _ = eleven.uvarint("length")
        #expect(eleven.error?.found == "a varint longer than 64 bits")
    }

    @Test func theFirstErrorSticks() throws {
        var cursor = ByteCursor([0x01, 0x02])
        _ = cursor.bigEndian32("magic")
        // Later reads return zero, do not move and do not replace the first error.
        let read3 = cursor.byte("version")
        #expect(read3 == 0)
        let read4 = cursor.uvarint("length")
        #expect(read4 == 0)
        #expect(cursor.offset == 0)
        #expect(cursor.error == DecodeError(offset: 0, expected: "magic (4 bytes)", found: "2 bytes left"))
        #expect(throws: DecodeError.self) { try cursor.check() }
    }

    @Test func bytesAndTrailingData() {
        var cursor = ByteCursor([1, 2, 3, 4])
        let read5 = Array(cursor.bytes(count: 2, "payload"))
        #expect(read5 == [1, 2])
        cursor.expectEnd("record")
        #expect(cursor.error == DecodeError(offset: 2, expected: "end of record", found: "2 more bytes"))

        var short = ByteCursor([1, 2, 3])
        _ = short.bytes(count: 5, "payload")
        #expect(short.error == DecodeError(offset: 0, expected: "payload of 5 bytes", found: "3 bytes left"))
    }

    @Test func offsetsCountFromTheSliceStart() {
        let buffer: [UInt8] = [9, 9, 9, 0x80]
        var cursor = ByteCursor(buffer[2...])
        let read6 = cursor.byte("tag")
        #expect(read6 == 9)
        _ = cursor.uvarint("count")
        #expect(cursor.error?.offset == 1)
    }

    @Test func bulkDecoderErrorsAreRebased() {
        var cursor = ByteCursor([7, 1, 2, 3])
        _ = cursor.byte("tag")
        cursor.decodeBulk { bytes in
            #expect(bytes.count == 3)
            return .failure(DecodeError(offset: 2, expected: "a value", found: "3"))
        }
        #expect(cursor.error == DecodeError(offset: 3, expected: "a value", found: "3"))
    }

    @Test func fuzzedInputNeverTraps() {
        var random = SplitMix64(seed: 7)
        for _ in 0..<2000 {
            let bytes = (0..<Int.random(in: 0...12, using: &random)).map { _ in UInt8.random(in: 0...255, using: &random) }
            var cursor = ByteCursor(bytes)
            _ = cursor.uvarint("a")
            _ = cursor.varint("b")
            _ = cursor.bigEndian32("c")
            _ = cursor.bytes(count: Int.random(in: -2...5, using: &random), "d")
            #expect(cursor.offset <= bytes.count)
        }
    }
}
