import Testing
@testable import MetricStore

@Suite struct CRC32CTests {
    /// Bit by bit from the definition, to check the sliced tables against.
    private func reference(_ bytes: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes {
            crc ^= UInt32(byte)
            for _ in 0..<8 { crc = crc & 1 == 1 ? (crc >> 1) ^ 0x82F6_3B78 : crc >> 1 }
        }
        return ~crc
    }

    @Test func standardCheckValue() {
        #expect(CRC32C.checksum(Array("123456789".utf8)) == 0xE306_9283)
    }

    @Test func knownVectors() {
        // RFC 3720 (iSCSI), appendix B.4.
        #expect(CRC32C.checksum([UInt8](repeating: 0, count: 32)) == 0x8A91_36AA)
        #expect(CRC32C.checksum([UInt8](repeating: 0xFF, count: 32)) == 0x62A8_AB43)
        #expect(CRC32C.checksum((0..<32).map { UInt8($0) }) == 0x46DD_794E)
        #expect(CRC32C.checksum([]) == 0)
    }

    @Test(arguments: [0, 1, 7, 8, 9, 15, 16, 17, 63, 64, 65, 1000])
    func slicedMatchesBitwiseAtEveryLengthAndAlignment(length: Int) {
        let bytes = (0..<length + 8).map { UInt8(truncatingIfNeeded: $0 &* 131 &+ 7) }
        for start in 0..<8 {
            let slice = bytes[start..<start + length]
            #expect(CRC32C.checksum(slice) == reference(Array(slice)))
        }
    }

    @Test func updateContinuesAChecksum() {
        let bytes = Array("the quick brown fox jumps over the lazy dog".utf8)
        for split in 0...bytes.count {
            let first = CRC32C.checksum(bytes[..<split])
            #expect(CRC32C.update(first, with: bytes[split...]) == CRC32C.checksum(bytes))
        }
    }
}
