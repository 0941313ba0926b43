// Writes the XOR chunk format of docs/format/chunks.md ("XOR chunk"); see XORChunk.swift.

/// Why an append was refused. The chunk is unchanged after a refusal.
public enum ChunkAppendError: Error, Equatable, Sendable {
    /// The timestamp is not after the chunk's last one. The head rejects out-of-order samples
    /// before they get here; this is the chunk's own guard against silent corruption.
    case outOfOrder(timestamp: Int64, last: Int64)
    /// The chunk holds `XORChunk.maxCount` samples; the head cuts long before.
    case full
}

/// Appends samples to an `XORChunk`. The head keeps one per open series and takes `chunk`
/// when it cuts.
///
/// Contract: timestamps strictly increase (checked: a violating sample is refused with
/// `ChunkAppendError.outOfOrder`). Any Double is accepted and stored bit for bit.
public struct XORChunkAppender: Sendable {
    /// The chunk so far. It shares the appender's buffer: taking it is cheap, and appending
    /// after taking it copies the buffer once (copy on write) so a taken chunk never changes.
    public var chunk: XORChunk {
        XORChunk(bytes: stream.bytes, count: count, minTime: minTime, maxTime: lastTimestamp)
    }

    public private(set) var count = 0
    private var stream: BitWriter
    private var minTime: Int64 = 0
    private var lastTimestamp: Int64 = 0
    /// t(n) - t(n-1) of the last sample; > 0 once two samples are in.
    private var lastDelta: Int64 = 0
    private var lastValueBits: UInt64 = 0
    /// The XOR window, as Gorilla: the leading and trailing zero counts of the last XOR that
    /// opened one; `leading == XORCode.noWindow` before the first.
    private var windowLeading = XORCode.noWindow
    private var windowTrailing: UInt8 = 0

    /// Appends to a new, empty chunk.
    public init() {
        stream = BitWriter(bytes: XORChunk().bytes)
    }

    /// Continues appending to a chunk decoded from bytes: replays it to recover the coder's
    /// state and the exact bit position of its end.
    public init(resuming chunk: XORChunk) throws(DecodeError) {
        var iterator = chunk.iterator()
        var state = XORChunkAppender()
        while let sample = iterator.next() {
            // Replaying samples of a valid chunk cannot be refused.
            try? state.append(sample)
        }
        try iterator.check()
        guard state.chunk.bytes == chunk.bytes else {
            throw DecodeError(offset: 0, expected: "a chunk in canonical XOR coding", found: "a different coding of the same samples")
        }
        self = state
    }

    public mutating func append(_ sample: Sample) throws(ChunkAppendError) {
        guard count < XORChunk.maxCount else { throw .full }
        if count > 0 && sample.timestamp <= lastTimestamp {
            throw .outOfOrder(timestamp: sample.timestamp, last: lastTimestamp)
        }
        let bits = sample.value.bitPattern
        switch count {
        case 0:
            stream.writeUvarint(ZigZag.encode(sample.timestamp))
            stream.writeBits(bits, count: 64)
            minTime = sample.timestamp
        case 1:
            let delta = sample.timestamp &- lastTimestamp
            stream.writeUvarint(UInt64(bitPattern: delta))
            writeValue(bits)
            lastDelta = delta
        default:
            let delta = sample.timestamp &- lastTimestamp
            writeDeltaOfDelta(delta &- lastDelta)
            writeValue(bits)
            lastDelta = delta
        }
        lastTimestamp = sample.timestamp
        lastValueBits = bits
        count += 1
        stream.overwriteByte(at: 0, with: UInt8(count >> 8))
        stream.overwriteByte(at: 1, with: UInt8(truncatingIfNeeded: count))
    }

    private mutating func writeDeltaOfDelta(_ dod: Int64) {
        if dod == 0 {
            stream.writeBit(false)  // `0`: same delta as before; a regular grid costs 1 bit
            return
        }
        // Prefix `1…10` of length k+1 picks bucket k; the last bucket's prefix is all ones.
        let widths = XORCode.timestampBucketWidths
        for (bucket, width) in widths.enumerated() {
            let fits = width == 64 || (dod >= -(1 << (width - 1)) && dod < 1 << (width - 1))
            guard fits else { continue }
            // `10` + 7 bits: jitter of a few ms; `110` + 14: up to ±8 s; `1110` + 20: up to
            // ±8.7 min; `11110` + 32: up to ±24 days; `11111` + 64: anything.
            let ones = bucket + 1
            stream.writeBits((1 << UInt64(ones)) - 1, count: ones)
            if bucket < widths.count - 1 { stream.writeBit(false) }
            stream.writeBits(UInt64(bitPattern: dod), count: width)
            return
        }
    }

    private mutating func writeValue(_ bits: UInt64) {
        if bits == lastValueBits {
            stream.writeBit(false)  // `0`: the value repeats; constant series cost 1 bit
            return
        }
        let previous = Double(bitPattern: lastValueBits)
        guard let previousInteger = SafeInteger.of(previous) else {
            stream.writeBit(true)  // `1`: XOR follows (no integer code after a non-integer)
            writeXOR(bits)
            return
        }
        guard let integer = SafeInteger.of(Double(bitPattern: bits)) else {
            stream.writeBits(0b11, count: 2)  // `11`: XOR follows
            writeXOR(bits)
            return
        }
        stream.writeBits(0b10, count: 2)  // `10`: integer difference follows
        let zigzag = ZigZag.encode(integer - previousInteger)
        let widths = XORCode.integerBucketWidths
        for (bucket, width) in widths.enumerated() where width == 56 || zigzag < 1 << UInt64(width) {
            // `0` + 8 bits: ±127; `10` + 16: ±32767; `110` + 32: ±2^31; `111` + 56: the rest.
            stream.writeBits((1 << UInt64(bucket)) - 1, count: bucket)
            if bucket < widths.count - 1 { stream.writeBit(false) }
            stream.writeBits(zigzag, count: width)
            return
        }
    }

    private mutating func writeXOR(_ bits: UInt64) {
        let xor = bits ^ lastValueBits
        let leading = UInt8(min(xor.leadingZeroBitCount, XORCode.maxLeadingZeros))
        let trailing = UInt8(xor.trailingZeroBitCount)
        if windowLeading != XORCode.noWindow && leading >= windowLeading && trailing >= windowTrailing {
            // `0` + the bits inside the previous window.
            stream.writeBit(false)
            let width = 64 - Int(windowLeading) - Int(windowTrailing)
            stream.writeBits(xor >> UInt64(windowTrailing), count: width)
            return
        }
        // `1` + leading zeros <5 bits> + significant width <6 bits, 64 written as 0> + the bits.
        let width = 64 - Int(leading) - Int(trailing)
        stream.writeBit(true)
        stream.writeBits(UInt64(leading), count: 5)
        stream.writeBits(UInt64(width & 63), count: 6)
        stream.writeBits(xor >> UInt64(trailing), count: width)
        windowLeading = leading
        windowTrailing = trailing
    }
}
