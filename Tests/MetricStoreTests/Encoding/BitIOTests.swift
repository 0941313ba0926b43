import Testing

@testable import MetricStore
import TestSupport

struct BitIOTests {
    @Test func writerPacksMostSignificantFirstWithZeroPadding() {
        var writer = BitWriter()
        writer.writeBit(true)                  // 1
        writer.writeBits(0b01, count: 2)       // 01
        writer.writeBits(0x1ff, count: 9)      // 1 1111 1111
        writer.writeBits(0, count: 0)
        #expect(writer.bytes == [0b1011_1111, 0b1111_0000])
        #expect(writer.bitCount == 12)
        #expect(writer.freeBits == 4)
    }

    @Test func writerIgnoresBitsAboveTheWidth() {
        var writer = BitWriter()
        writer.writeBits(0xffff_ffff_ffff_fff5, count: 4)
        #expect(writer.bytes == [0x50])
    }

    @Test func uvarintInsideTheBitStream() {
        var writer = BitWriter()
        writer.writeBit(true)
        writer.writeUvarint(300)  // ac 02, shifted right by one bit
        #expect(writer.bytes == [0b1101_0110, 0b0000_0001, 0b0000_0000])
        var reader = BitReader(writer.bytes[...])
        let read1 = reader.readBit("flag")
        #expect(read1)
        let read2 = reader.readUvarint("n")
        #expect(read2 == 300)
    }

    @Test func randomFieldsRoundTrip() throws {
        var random = SplitMix64(seed: 42)
        var fields: [(UInt64, Int)] = []
        var writer = BitWriter()
        for _ in 0..<5000 {
            let width = Int.random(in: 0...64, using: &random)
            let value = width == 64 ? random.next() : random.next() & ((1 << UInt64(width)) - 1)
            fields.append((value, width))
            writer.writeBits(value, count: width)
        }
        var reader = BitReader(writer.bytes[...])
        for (value, width) in fields {
            let read3 = reader.readBits(width, "field")
            #expect(read3 == value)
        }
        try reader.check()
        #expect(reader.remainingBits == writer.freeBits)
    }

    @Test func resumingAStreamContinuesAtItsBit() {
        var first = BitWriter()
        first.writeBits(0b101, count: 3)
        var resumed = BitWriter(bytes: first.bytes, freeBits: first.freeBits)
        resumed.writeBits(0b11111, count: 5)
        #expect(resumed.bytes == [0b1011_1111])
        #expect(resumed.freeBits == 0)
    }

    @Test func readerPastTheEndFailsOnceWithTheOffset() {
        var reader = BitReader([0xff, 0x00][...])
        _ = reader.readBits(12, "prefix")
        let read4 = reader.readBits(8, "XOR bits")
        #expect(read4 == 0)
        let read5 = reader.readBit("flag")
        #expect(!read5)
        #expect(reader.error == DecodeError(offset: 1, expected: "XOR bits (8 bits)", found: "4 bits left"))
    }
}
