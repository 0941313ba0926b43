/// A bounds-checked reader over bytes, for decoding stored formats.
///
/// The error is sticky: the first failed read records a `DecodeError` (what was expected, at
/// which offset, what was found) and every later read returns zero without moving, so a
/// decoder can read a whole header and check once with `check()`. Reads never trap on any
/// input. Offsets in errors count from the start of the bytes the cursor was given.
struct ByteCursor {
    let bytes: ArraySlice<UInt8>
    /// Index into `bytes` of the next unread byte; `bytes.startIndex...bytes.endIndex`.
    private(set) var position: Int
    /// The first error met; reads after it return zero and do not move `position`.
    private(set) var error: DecodeError?

    init(_ bytes: ArraySlice<UInt8>) {
        self.bytes = bytes
        position = bytes.startIndex
    }

    init(_ bytes: [UInt8]) {
        self.init(bytes[...])
    }

    /// Bytes read so far.
    var offset: Int { position - bytes.startIndex }
    var remaining: Int { bytes.endIndex - position }
    var isAtEnd: Bool { position == bytes.endIndex }

    /// Throws the sticky error, if any.
    func check() throws(DecodeError) {
        if let error { throw error }
    }

    /// Records a data error at `offset` (default: the current offset) unless one is recorded.
    mutating func fail(_ expected: String, found: String, at offset: Int? = nil) {
        guard error == nil else { return }
        error = DecodeError(offset: offset ?? self.offset, expected: expected, found: found)
    }

    /// Fails unless every byte has been read: trailing bytes mean a length field lied.
    mutating func expectEnd(_ what: @autoclosure () -> String) {
        guard error == nil, !isAtEnd else { return }
        let found = "\(remaining) more bytes"
        fail("end of \(what())", found: found)
    }

    mutating func byte(_ what: @autoclosure () -> String) -> UInt8 {
        guard error == nil else { return 0 }
        guard position < bytes.endIndex else {
            fail(what(), found: "end of data")
            return 0
        }
        defer { position += 1 }
        return bytes[position]
    }

    mutating func uvarint(_ what: @autoclosure () -> String) -> UInt64 {
        guard error == nil else { return 0 }
        var index = position
        guard let value = Self.uvarint(in: bytes, at: &index) else {
            let found = index >= bytes.endIndex ? "end of data" : "a varint longer than 64 bits"
            fail(what(), found: found)
            return 0
        }
        position = index
        return value
    }

    mutating func varint(_ what: @autoclosure () -> String) -> Int64 {
        ZigZag.decode(uvarint(what()))
    }

    mutating func bigEndian16(_ what: @autoclosure () -> String) -> UInt16 {
        UInt16(truncatingIfNeeded: bigEndian(width: 2, what()))
    }

    mutating func bigEndian32(_ what: @autoclosure () -> String) -> UInt32 {
        UInt32(truncatingIfNeeded: bigEndian(width: 4, what()))
    }

    mutating func bigEndian64(_ what: @autoclosure () -> String) -> UInt64 {
        bigEndian(width: 8, what())
    }

    /// `count` raw bytes.
    mutating func bytes(count: Int, _ what: @autoclosure () -> String) -> ArraySlice<UInt8> {
        guard error == nil else { return [] }
        guard count >= 0, count <= remaining else {
            let found = "\(remaining) bytes left"
            fail("\(what()) of \(count) bytes", found: found)
            return []
        }
        defer { position += count }
        return bytes[position..<position + count]
    }

    /// Runs a bulk decoder over the unread bytes, for loops too hot for one call per field.
    /// `body` gets the unread bytes and returns how many it consumed, or fails through the
    /// `DecodeError` it returns (its offset relative to the start of the unread bytes).
    mutating func decodeBulk(_ body: (UnsafeBufferPointer<UInt8>) -> Result<Int, DecodeError>) {
        guard error == nil else { return }
        let start = offset
        let result = bytes[position...].withUnsafeBufferPointer { body($0) }
        switch result {
        case .success(let consumed):
            precondition(consumed >= 0 && consumed <= remaining, "BUG: bulk decoder consumed \(consumed) of \(remaining) bytes")
            position += consumed
        case .failure(let failure):
            error = DecodeError(offset: start + failure.offset, expected: failure.expected, found: failure.found)
        }
    }

    private mutating func bigEndian(width: Int, _ what: @autoclosure () -> String) -> UInt64 {
        guard error == nil else { return 0 }
        guard remaining >= width else {
            let found = "\(remaining) bytes left"
            fail("\(what()) (\(width) bytes)", found: found)
            return 0
        }
        defer { position += width }
        if width == 8 {
            // One unaligned load instead of eight shifts: WAL replay and checkpoints read two
            // of these per sample record and one per sample.
            let offset = position - bytes.startIndex
            return bytes.withUnsafeBytes { UInt64(bigEndian: $0.loadUnaligned(fromByteOffset: offset, as: UInt64.self)) }
        }
        var value: UInt64 = 0
        for index in position..<position + width {
            value = value << 8 | UInt64(bytes[index])
        }
        return value
    }

    /// Decodes one uvarint at `index` and moves `index` past it; nil if the bytes end first
    /// (`index` is then at the end) or the varint does not fit 64 bits (`index` is then at the
    /// byte that overflows).
    @inline(__always)
    static func uvarint<C: RandomAccessCollection<UInt8>>(in bytes: C, at index: inout C.Index) -> UInt64? {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while index < bytes.endIndex {
            let byte = bytes[index]
            // The 10th byte may carry only the 64th bit, and must be the last.
            if shift == 63 && byte > 1 { return nil }
            bytes.formIndex(after: &index)
            if byte < 0x80 { return result | UInt64(byte) << shift }
            result |= UInt64(byte & 0x7f) << shift
            shift += 7
        }
        return nil
    }
}
