// Reads the XOR chunk format of docs/format/chunks.md ("XOR chunk"); see XORChunk.swift.

/// Reads an `XORChunk`'s samples in order.
///
/// `next()` returns nil at the end and on corrupt data; `check()` then tells which: a chunk
/// whose stream ends early, whose timestamps do not increase, or that carries bytes after its
/// last sample is reported with the byte offset, never trapped on.
public struct XORChunkIterator: Sendable {
    private var reader: BitReader
    private let declaredCount: Int
    /// Samples returned so far.
    public private(set) var sampleCount = 0
    private var timestamp: Int64 = 0
    private var delta: Int64 = 0
    private var valueBits: UInt64 = 0
    private var windowLeading = XORCode.noWindow
    private var windowTrailing: UInt8 = 0
    private var dataError: DecodeError?

    init(_ chunk: XORChunk) {
        let bytes = chunk.bytes[...]
        if bytes.count < 2 {
            dataError = DecodeError(offset: 0, expected: "2-byte sample count", found: "\(bytes.count) bytes")
            reader = BitReader(bytes)
            declaredCount = 0
        } else {
            declaredCount = Int(bytes[bytes.startIndex]) << 8 | Int(bytes[bytes.startIndex + 1])
            reader = BitReader(bytes, bitPosition: 16)
        }
    }

    /// Throws the data error that stopped the iteration, if any.
    public func check() throws(DecodeError) {
        if let dataError { throw dataError }
        try reader.check()
    }

    public mutating func next() -> Sample? {
        guard dataError == nil, reader.error == nil else { return nil }
        guard sampleCount < declaredCount else {
            expectPadding()
            return nil
        }
        switch sampleCount {
        case 0:
            timestamp = ZigZag.decode(reader.readUvarint("first timestamp <varint>"))
            valueBits = reader.readBits(64, "first value <64 bits>")
        case 1:
            let start = reader.byteOffset
            let first = reader.readUvarint("first delta <uvarint>")
            guard advance(by: Int64(bitPattern: first), startingAt: start) else { return nil }
            readValue()
        default:
            let start = reader.byteOffset
            let dod = readDeltaOfDelta()
            guard advance(by: delta &+ dod, startingAt: start) else { return nil }
            readValue()
        }
        guard reader.error == nil else { return nil }
        sampleCount += 1
        return Sample(timestamp: timestamp, value: Double(bitPattern: valueBits))
    }

    private mutating func advance(by newDelta: Int64, startingAt offset: Int) -> Bool {
        guard reader.error == nil else { return false }
        let (next, overflow) = timestamp.addingReportingOverflow(newDelta)
        guard newDelta > 0, !overflow else {
            dataError = DecodeError(offset: offset, expected: "a timestamp after \(timestamp)", found: "a delta of \(newDelta)")
            return false
        }
        timestamp = next
        delta = newDelta
        return true
    }

    private mutating func readDeltaOfDelta() -> Int64 {
        let widths = XORCode.timestampBucketWidths
        var bucket = -1  // `0`: delta-of-delta 0
        while bucket < widths.count - 1, reader.readBit("delta-of-delta prefix") {
            bucket += 1
        }
        guard bucket >= 0 else { return 0 }
        let width = widths[bucket]
        let raw = reader.readBits(width, "delta-of-delta <\(width) bits>")
        // Sign-extend the two's complement field.
        return Int64(bitPattern: raw << UInt64(64 - width)) >> Int64(64 - width)
    }

    private mutating func readValue() {
        guard !reader.readBit("value prefix") else {
            // Same prefix bit for "something changed" whatever the previous value was.
            let previous = Double(bitPattern: valueBits)
            if let previousInteger = SafeInteger.of(previous) {
                // After an integer: `10` integer difference, `11` XOR.
                if reader.readBit("value prefix") {
                    readXOR()
                } else {
                    readIntegerDifference(from: previousInteger)
                }
            } else {
                readXOR()
            }
            return
        }
        // `0`: the value repeats.
    }

    private mutating func readIntegerDifference(from previous: Int64) {
        let start = reader.byteOffset
        let widths = XORCode.integerBucketWidths
        var bucket = 0
        while bucket < widths.count - 1, reader.readBit("integer difference prefix") {
            bucket += 1
        }
        let width = widths[bucket]
        let difference = ZigZag.decode(reader.readBits(width, "integer difference <\(width) bits>"))
        let (value, overflow) = previous.addingReportingOverflow(difference)
        guard reader.error == nil else { return }
        guard !overflow, SafeInteger.contains(value) else {
            dataError = DecodeError(offset: start, expected: "an integer difference within ±2^53", found: "\(difference) after \(previous)")
            return
        }
        valueBits = Double(value).bitPattern
    }

    private mutating func readXOR() {
        let xor: UInt64
        if reader.readBit("XOR window flag") {
            let leading = reader.readBits(5, "XOR leading zeros <5 bits>")
            var width = reader.readBits(6, "XOR significant bits <6 bits>")
            if width == 0 { width = 64 }
            guard leading + width <= 64 else {
                reader.fail("XOR leading zeros + significant bits <= 64", found: "\(leading) + \(width)")
                return
            }
            windowLeading = UInt8(leading)
            windowTrailing = UInt8(64 - leading - width)
            xor = reader.readBits(Int(width), "XOR bits") << UInt64(windowTrailing)
        } else {
            guard windowLeading != XORCode.noWindow else {
                reader.fail("a new XOR window (`1`) before any reuse", found: "`0`")
                return
            }
            let width = 64 - Int(windowLeading) - Int(windowTrailing)
            xor = reader.readBits(width, "XOR bits") << UInt64(windowTrailing)
        }
        valueBits ^= xor
    }

    /// After the last sample only zero padding up to the next byte boundary may follow.
    private mutating func expectPadding() {
        let left = reader.remainingBits
        if left >= 8 {
            reader.fail("end of chunk after \(declaredCount) samples", found: "\(left / 8) more bytes",
                        at: (reader.bitPosition + 7) / 8)
        } else {
            let offset = reader.byteOffset
            if reader.readBits(left, "padding") != 0 {
                reader.fail("zero padding", found: "non-zero bits", at: offset)
            }
        }
    }
}
