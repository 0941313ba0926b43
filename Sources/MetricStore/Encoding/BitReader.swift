/// Reads bit fields, most significant bit first, written by `BitWriter`.
///
/// Bounds-checked with a sticky error, like `ByteCursor`: reading past the end records a
/// `DecodeError` at the byte offset where the field started, and every later read returns
/// zero. It never traps on any input.
struct BitReader {
    let bytes: ArraySlice<UInt8>
    /// Bits consumed, counted from the first bit of `bytes.startIndex`;
    /// invariant `0...bytes.count * 8`.
    private(set) var bitPosition: Int
    /// The first error met; reads after it return zero.
    private(set) var error: DecodeError?

    init(_ bytes: ArraySlice<UInt8>, bitPosition: Int = 0) {
        precondition((0...bytes.count * 8).contains(bitPosition), "BUG: bit \(bitPosition) of \(bytes.count) bytes")
        self.bytes = bytes
        self.bitPosition = bitPosition
    }

    var remainingBits: Int { bytes.count * 8 - bitPosition }
    /// Byte offset of the next unread bit.
    var byteOffset: Int { bitPosition >> 3 }

    func check() throws(DecodeError) {
        if let error { throw error }
    }

    /// Records a data error at `offset` (default: the byte holding the next unread bit).
    mutating func fail(_ expected: String, found: String, at offset: Int? = nil) {
        guard error == nil else { return }
        error = DecodeError(offset: offset ?? byteOffset, expected: expected, found: found)
    }

    mutating func readBit(_ what: @autoclosure () -> String) -> Bool {
        guard error == nil else { return false }
        guard bitPosition < bytes.count * 8 else {
            fail(what(), found: "end of data")
            return false
        }
        let byte = bytes[bytes.startIndex + bitPosition >> 3]
        let bit = byte >> UInt8(7 - bitPosition & 7) & 1
        bitPosition += 1
        return bit == 1
    }

    /// Reads `count` bits (0...64) as the low bits of the result.
    mutating func readBits(_ count: Int, _ what: @autoclosure () -> String) -> UInt64 {
        precondition((0...64).contains(count), "BUG: reading \(count) bits")
        guard error == nil else { return 0 }
        guard count <= remainingBits else {
            let found = "\(remainingBits) bits left"
            fail("\(what()) (\(count) bits)", found: found)
            return 0
        }
        var value: UInt64 = 0
        var left = count
        while left > 0 {
            let byte = UInt64(bytes[bytes.startIndex + bitPosition >> 3])
            let available = 8 - bitPosition & 7
            let take = min(available, left)
            let chunk = (byte >> UInt64(available - take)) & ((1 << UInt64(take)) - 1)
            // Shifting by 64 is defined as 0 in Swift's `<<`, which the first 64-bit read needs.
            value = value << UInt64(take) | chunk
            bitPosition += take
            left -= take
        }
        return value
    }

    /// Reads a uvarint written by `BitWriter.writeUvarint`.
    mutating func readUvarint(_ what: @autoclosure () -> String) -> UInt64 {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        let start = byteOffset
        while error == nil {
            let byte = readBits(8, what())
            if byte < 0x80 {
                if shift == 63 && byte > 1 { break }
                return result | byte << shift
            }
            result |= (byte & 0x7f) << shift
            shift += 7
            if shift > 63 { break }
        }
        if error == nil {
            error = DecodeError(offset: start, expected: what(), found: "a varint longer than 64 bits")
        }
        return 0
    }
}
