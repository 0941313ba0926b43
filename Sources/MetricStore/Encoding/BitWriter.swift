/// Appends bit fields, most significant bit first, to a growing byte buffer: the bit stream
/// under the head's XOR chunks (`docs/format/chunks.md`).
struct BitWriter {
    /// The stream so far. Invariant: the stream is `bytes.count * 8 - freeBits` bits long and
    /// the `freeBits` low-order bits of the last byte are zero, so the buffer can be stored or
    /// copied at any moment and a reader sees zero padding after the last field.
    private(set) var bytes: [UInt8]
    /// Unused low-order bits of the last byte, 0...7; 0 when `bytes` is empty.
    private(set) var freeBits: Int

    /// Continues a stream: `bytes` as written so far, with `freeBits` unused (zero) bits at the
    /// end of its last byte.
    init(bytes: [UInt8] = [], freeBits: Int = 0) {
        precondition((0...7).contains(freeBits) && (freeBits == 0 || !bytes.isEmpty),
                     "BUG: \(freeBits) free bits in a \(bytes.count)-byte stream")
        precondition(freeBits == 0 || bytes[bytes.count - 1] & UInt8((1 << freeBits) - 1) == 0,
                     "BUG: the free bits of the last byte are not zero")
        self.bytes = bytes
        self.freeBits = freeBits
    }

    var bitCount: Int { bytes.count * 8 - freeBits }

    mutating func writeBit(_ bit: Bool) {
        if freeBits == 0 {
            bytes.append(0)
            freeBits = 8
        }
        freeBits -= 1
        if bit { bytes[bytes.count - 1] |= 1 << UInt8(freeBits) }
    }

    /// Writes the low `count` bits of `value` (0...64), most significant first; higher bits
    /// of `value` are ignored.
    mutating func writeBits(_ value: UInt64, count: Int) {
        precondition((0...64).contains(count), "BUG: writing \(count) bits")
        var left = count
        while left > 0 {
            if freeBits == 0 {
                bytes.append(0)
                freeBits = 8
            }
            let take = min(freeBits, left)
            // The `take` bits of `value` just below bit `left`, placed at the free end.
            let chunk = (value >> UInt64(left - take)) & ((1 << UInt64(take)) - 1)
            bytes[bytes.count - 1] |= UInt8(chunk) << UInt8(freeBits - take)
            freeBits -= take
            left -= take
        }
    }

    /// Writes `value` as a uvarint (`ByteWriter.putUvarint`'s bytes), 8 bits per byte, at
    /// whatever bit position the stream is.
    mutating func writeUvarint(_ value: UInt64) {
        var rest = value
        while rest >= 0x80 {
            writeBits(rest & 0x7f | 0x80, count: 8)
            rest >>= 7
        }
        writeBits(rest, count: 8)
    }

    /// Replaces a whole byte already written, for fixed headers patched in place (a
    /// chunk's sample count).
    mutating func overwriteByte(at index: Int, with byte: UInt8) {
        precondition(index >= 0 && index < bytes.count - (freeBits > 0 ? 1 : 0),
                     "BUG: overwriting byte \(index) of a \(bytes.count)-byte stream")
        bytes[index] = byte
    }
}
