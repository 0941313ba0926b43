import Testing

@testable import MetricStore

struct ByteWriterTests {
    @Test(arguments: [
        (UInt64(0), [0x00]),
        (1, [0x01]),
        (127, [0x7f]),
        (128, [0x80, 0x01]),
        (300, [0xac, 0x02]),
        (16_383, [0xff, 0x7f]),
        (16_384, [0x80, 0x80, 0x01]),
        (UInt64.max, [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01]),
    ] as [(UInt64, [UInt8])])
    func uvarintBytes(value: UInt64, bytes: [UInt8]) throws {
        var writer = ByteWriter()
        writer.putUvarint(value)
        #expect(writer.bytes == bytes)
        #expect(ByteWriter.uvarintSize(value) == bytes.count)
        var cursor = ByteCursor(bytes)
        let read1 = cursor.uvarint("value")
        #expect(read1 == value)
        #expect(cursor.isAtEnd)
        try cursor.check()
    }

    @Test(arguments: [
        (Int64(0), [0x00]), (-1, [0x01]), (1, [0x02]), (-64, [0x7f]), (64, [0x80, 0x01]),
        (Int64.max, [0xfe, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01]),
        (Int64.min, [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01]),
    ] as [(Int64, [UInt8])])
    func varintBytes(value: Int64, bytes: [UInt8]) {
        var writer = ByteWriter()
        writer.putVarint(value)
        #expect(writer.bytes == bytes)
        var cursor = ByteCursor(bytes)
        let read2 = cursor.varint("value")
        #expect(read2 == value)
    }

    @Test func bigEndianBytes() {
        var writer = ByteWriter()
        writer.putBigEndian16(0x0102)
        writer.putBigEndian32(0x0304_0506)
        writer.putBigEndian64(0x0708_090a_0b0c_0d0e)
        writer.putByte(0xff)
        #expect(writer.bytes == [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 0xff])
        var cursor = ByteCursor(writer.bytes)
        let read3 = cursor.bigEndian16("a")
        #expect(read3 == 0x0102)
        let read4 = cursor.bigEndian32("b")
        #expect(read4 == 0x0304_0506)
        let read5 = cursor.bigEndian64("c")
        #expect(read5 == 0x0708_090a_0b0c_0d0e)
        let read6 = cursor.byte("d")
        #expect(read6 == 0xff)
        #expect(cursor.isAtEnd)
    }

    @Test func zigZagRoundTripsAtTheEdges() {
        for value in [Int64.min, Int64.min + 1, -1, 0, 1, Int64.max - 1, Int64.max] {
            #expect(ZigZag.decode(ZigZag.encode(value)) == value)
        }
    }
}
