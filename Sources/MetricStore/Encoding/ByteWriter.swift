/// Appends fixed-width and variable-width integers to a byte buffer the caller owns.
///
/// Varints are the LEB128 form Go's `encoding/binary` writes: 7 bits per byte, least
/// significant group first, high bit set on every byte but the last; a `UInt64` takes 1 to 10
/// bytes. Signed varints are ZigZag-mapped first. Fixed-width integers are big-endian, like
/// every fixed-width field in the store's formats.
struct ByteWriter {
    var bytes: [UInt8]

    init(bytes: [UInt8] = []) {
        self.bytes = bytes
    }

    init(reservingCapacity capacity: Int) {
        bytes = []
        bytes.reserveCapacity(capacity)
    }

    var count: Int { bytes.count }

    mutating func putByte(_ byte: UInt8) {
        bytes.append(byte)
    }

    mutating func putBytes(_ other: some Sequence<UInt8>) {
        bytes.append(contentsOf: other)
    }

    mutating func putUvarint(_ value: UInt64) {
        var rest = value
        while rest >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: rest) | 0x80)
            rest >>= 7
        }
        bytes.append(UInt8(rest))
    }

    mutating func putVarint(_ value: Int64) {
        putUvarint(ZigZag.encode(value))
    }

    mutating func putBigEndian16(_ value: UInt16) {
        bytes.append(UInt8(value >> 8))
        bytes.append(UInt8(truncatingIfNeeded: value))
    }

    // One append of the value's bytes rather than one per byte: the WAL writes a 64-bit
    // value per sample.
    mutating func putBigEndian32(_ value: UInt32) {
        withUnsafeBytes(of: value.bigEndian) { bytes.append(contentsOf: $0) }
    }

    mutating func putBigEndian64(_ value: UInt64) {
        withUnsafeBytes(of: value.bigEndian) { bytes.append(contentsOf: $0) }
    }

    /// The number of bytes `putUvarint(value)` appends.
    static func uvarintSize(_ value: UInt64) -> Int {
        // 1 byte per started group of 7 significant bits; 0 still takes one byte.
        let bits = 64 - (value | 1).leadingZeroBitCount
        return (bits + 6) / 7
    }
}
