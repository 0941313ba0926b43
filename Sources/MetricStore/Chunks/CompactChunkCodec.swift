// The blocks' chunk (encoding `compact`, 2). Format, full detail and the design note in
// docs/format/chunks.md ("Compact chunk"):
//
//   │ count <uvarint> │ timestamp section │ value section │
//
//   timestamp section: CompactTimestamps.swift    value section: CompactValues.swift
//
// Every field is byte-aligned (varints, single bytes, big-endian words), so that zstd over a
// group of chunks finds what repeats between them: the timestamps every series of one target
// shares, the same constant in consecutive chunks. A Gorilla bit stream hides both.

/// Encodes immutable chunks for blocks, choosing per chunk the smallest of a few byte-aligned
/// forms (regular / jitter-around-nominal / delta-of-delta timestamps; constant, step, delta or
/// delta-of-delta decimal mantissas, or raw floats). Compress groups of encoded chunks with
/// `CompactChunkGroup`; one chunk alone is too small for zstd to pay off.
///
/// Exact for every float64 bit pattern: values with no exact short decimal form (NaN payloads
/// such as the stale marker, ±Inf, -0, computed noise) are stored raw.
public enum CompactChunkCodec {
    /// The most samples one chunk holds. Decoders refuse larger counts before allocating.
    public static let maxCount = 65_535

    /// Appends the encoding of `samples` to `out`.
    ///
    /// Contract (checked, a violation is a bug of the caller): 1 to `maxCount` samples,
    /// timestamps strictly increasing, consecutive timestamps less than 2^63 ms apart.
    public static func encode(_ samples: ArraySlice<Sample>, into out: inout [UInt8]) {
        precondition((1...maxCount).contains(samples.count), "BUG: a compact chunk of \(samples.count) samples")
        var writer = ByteWriter(bytes: out)
        out = []  // keep the buffer uniquely referenced while the writer appends
        writer.putUvarint(UInt64(samples.count))
        samples.withUnsafeBufferPointer { samples in
            CompactTimestamps.encode(samples, into: &writer)
            CompactValues.encode(samples, into: &writer)
        }
        out = writer.bytes
    }

    public static func encode(_ samples: [Sample]) -> [UInt8] {
        var out: [UInt8] = []
        encode(samples[...], into: &out)
        return out
    }

    /// Decodes one chunk and appends its samples to `samples`. On a data error nothing is
    /// appended and the error names the offset within `bytes` and what was expected there.
    public static func decode(_ bytes: ArraySlice<UInt8>, appendingTo samples: inout [Sample]) throws(DecodeError) {
        var cursor = ByteCursor(bytes)
        let count = cursor.uvarint("sample count <uvarint>")
        try cursor.check()
        guard count >= 1 && count <= UInt64(maxCount) else {
            throw DecodeError(offset: 0, expected: "a sample count of 1...\(maxCount)", found: "\(count)")
        }
        let base = samples.count
        samples.append(contentsOf: repeatElement(Sample(timestamp: 0, value: 0), count: Int(count)))
        samples.withUnsafeMutableBufferPointer { all in
            let out = UnsafeMutableBufferPointer(rebasing: all[base...])
            CompactTimestamps.decode(&cursor, into: out)
            CompactValues.decode(&cursor, into: out)
        }
        cursor.expectEnd("compact chunk")
        if let error = cursor.error {
            samples.removeSubrange(base...)
            throw error
        }
    }

    public static func decode(_ bytes: [UInt8]) throws(DecodeError) -> [Sample] {
        var samples: [Sample] = []
        try decode(bytes[...], appendingTo: &samples)
        return samples
    }
}
