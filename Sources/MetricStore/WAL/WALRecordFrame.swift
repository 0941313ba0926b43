/// The framing of one WAL record (docs/format/wal.md):
///
///     ┌───────────────┬──────────────────┬──────────────────┬────────────────────┐
///     │ type <1 byte> │ length <4 bytes> │ crc32c <4 bytes> │ payload <length>   │
///     └───────────────┴──────────────────┴──────────────────┴────────────────────┘
///
/// `length` is the payload's byte count, big-endian. `crc32c` (big-endian) covers the type
/// byte, the length and the payload, so a flipped type or length bit is caught as surely as a
/// flipped payload bit.
enum WALRecordFrame {
    static let headerSize = 9
    /// Larger lengths are corruption, not a record: the encoder splits batches long before
    /// this, and a reader must not be talked into allocating gigabytes by one flipped bit.
    static let maxPayloadLength = 1 << 24

    /// Header and payload, ready to append to a segment.
    static func frame(type: UInt8, payload: [UInt8]) -> [UInt8] {
        precondition(payload.count <= maxPayloadLength, "BUG: WAL payload of \(payload.count) bytes")
        var header = ByteWriter(reservingCapacity: headerSize + payload.count)
        header.putByte(type)
        header.putBigEndian32(UInt32(payload.count))
        let crc = checksum(headerPrefix: header.bytes[...], payload: payload[...])
        header.putBigEndian32(crc)
        header.putBytes(payload)
        return header.bytes
    }

    /// The checksum over the type and length bytes (`headerPrefix`, 5 bytes) and the payload.
    static func checksum(headerPrefix: ArraySlice<UInt8>, payload: ArraySlice<UInt8>) -> UInt32 {
        CRC32C.update(CRC32C.checksum(headerPrefix), with: payload)
    }
}
