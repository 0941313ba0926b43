/// Varint reading for decode loops too hot for `ByteCursor`'s one call per field: it works on
/// an `UnsafeBufferPointer` (from `ByteCursor.decodeBulk`) and still checks every bound.
enum UnsafeVarint {
    /// The uvarint at `bytes[index]`, moving `index` past it; nil if the bytes end first or
    /// the varint does not fit 64 bits. Single-byte varints take the inlined fast path.
    @inline(__always)
    static func read(_ bytes: UnsafeBufferPointer<UInt8>, _ index: inout Int) -> UInt64? {
        if index < bytes.count {
            let byte = bytes[index]
            if byte < 0x80 {
                index += 1
                return UInt64(byte)
            }
        }
        return readLong(bytes, &index)
    }

    @inline(never)
    static func readLong(_ bytes: UnsafeBufferPointer<UInt8>, _ index: inout Int) -> UInt64? {
        ByteCursor.uvarint(in: bytes, at: &index)
    }

    /// The error for a failed `read` at `start`, with `index` where it stopped.
    static func failure(_ expected: String, start: Int, index: Int, count: Int) -> DecodeError {
        DecodeError(offset: start, expected: expected, found: index >= count ? "end of data" : "a varint longer than 64 bits")
    }
}
