// The head's appendable chunk (encoding `xor`, 1). Format, full detail in
// docs/format/chunks.md ("XOR chunk"):
//
//   │ count <2 bytes, big-endian> │ bit stream, zero-padded to a whole byte │
//
// sample 0:  t0 <varint, as 8-bit groups>  v0 <64 bits>
// sample 1:  t1 - t0 <uvarint, as 8-bit groups>  value code
// sample n:  delta-of-delta code  value code
//
// The codes are written and read by XORChunkAppender and XORChunkIterator.

/// An in-memory chunk of one series' samples, appended to by the head through
/// `XORChunkAppender` until the head cuts it (at 120 samples or a time span), then immutable.
///
/// Timestamps are delta-of-delta coded, values Gorilla XOR coded, with two fast paths: a value
/// equal to the previous one costs one bit, and a value that is an integer (of magnitude at
/// most 2^53) following an integer is coded as the integer difference, which for counters is
/// far shorter than the XOR of their bit patterns. Every float64 bit pattern round-trips
/// exactly (NaN payloads such as the stale marker, ±Inf, -0, subnormals).
public struct XORChunk: Sendable, Equatable {
    /// The most samples one chunk holds: the count header is 16 bits.
    public static let maxCount = Int(UInt16.max)

    /// The encoded chunk, header included; what a block or snapshot would store.
    public private(set) var bytes: [UInt8]
    public private(set) var count: Int
    /// Timestamps of the first and last sample; meaningless while `count` is 0.
    public private(set) var minTime: Int64
    public private(set) var maxTime: Int64

    /// An empty chunk: a zero count header and no stream.
    public init() {
        bytes = [0, 0]
        count = 0
        minTime = 0
        maxTime = 0
    }

    init(bytes: [UInt8], count: Int, minTime: Int64, maxTime: Int64) {
        self.bytes = bytes
        self.count = count
        self.minTime = minTime
        self.maxTime = maxTime
    }

    /// A chunk from stored bytes, decoded once in full so that a corrupt chunk is refused here
    /// rather than half-read by a query later.
    public init(validating bytes: [UInt8]) throws(DecodeError) {
        self.bytes = bytes
        count = 0
        minTime = 0
        maxTime = 0
        var iterator = XORChunkIterator(self)
        var first = true
        while let sample = iterator.next() {
            if first { minTime = sample.timestamp }
            first = false
            maxTime = sample.timestamp
        }
        try iterator.check()
        count = iterator.sampleCount
    }

    public func iterator() -> XORChunkIterator {
        XORChunkIterator(self)
    }

    /// All samples, in time order.
    public func samples() throws(DecodeError) -> [Sample] {
        var result: [Sample] = []
        result.reserveCapacity(count)
        var iterator = iterator()
        while let sample = iterator.next() { result.append(sample) }
        try iterator.check()
        return result
    }
}

/// The prefix codes both the appender and the iterator use, named once so that the two cannot
/// drift apart. Widths are in bits.
enum XORCode {
    /// Delta-of-delta buckets after the prefixes `10`, `110`, `1110`, `11110`, `11111`
    /// (`0` alone means a delta-of-delta of 0): signed two's complement widths.
    static let timestampBucketWidths = [7, 14, 20, 32, 64]
    /// Integer-difference buckets after the prefixes `0`, `10`, `110`, `111`: widths of the
    /// ZigZag-mapped difference. Two integers within ±2^53 differ by at most 2^54, whose
    /// ZigZag form needs 56 bits.
    static let integerBucketWidths = [8, 16, 32, 56]
    /// Leading zero bits of an XOR are stored in 5 bits, so at most 31.
    static let maxLeadingZeros = 31
    /// `leading` of the XOR window before the first window is opened.
    static let noWindow: UInt8 = 0xff
}
