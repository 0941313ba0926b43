// A group of encoded chunks compressed together (docs/format/chunks.md, "Chunk group"):
//
//   │ raw size <uvarint> │ zstd frame of: │ n <uvarint> │ length <uvarint> × n │ chunk 1 … chunk n │ │
//
// zstd over one 120-sample chunk barely pays for its frame header; over the chunks of a block it
// finds the timestamp sections repeated by every series of a target and the repeated constants,
// which is most of the compact encoding's gain over Gorilla.

/// Chunks compressed as one zstd frame, and the decompressed group they come back as.
public struct CompactChunkGroup: Sendable {
    /// Groups expanding to more are refused before allocating, so a corrupt size field cannot
    /// make a reader allocate gigabytes; `compress` refuses to build larger ones.
    public static let maxRawSize = 64 << 20
    /// zstd level: measured on the benchmark dataset (docs/format/chunks.md, design note).
    public static let defaultLevel: Int32 = 9

    /// The decompressed group: directory and chunk bytes.
    public let raw: [UInt8]
    /// Where each chunk's bytes are in `raw`.
    public let ranges: [Range<Int>]

    public var count: Int { ranges.count }

    public subscript(index: Int) -> ArraySlice<UInt8> { raw[ranges[index]] }

    /// Compresses encoded chunks (of any encoding: the group does not look inside them).
    public static func compress(_ chunks: [[UInt8]], level: Int32 = defaultLevel) -> [UInt8] {
        var raw = ByteWriter(reservingCapacity: chunks.reduce(10 + chunks.count * 2) { $0 + $1.count })
        raw.putUvarint(UInt64(chunks.count))
        for chunk in chunks { raw.putUvarint(UInt64(chunk.count)) }
        for chunk in chunks { raw.putBytes(chunk) }
        precondition(raw.count <= maxRawSize, "BUG: a chunk group of \(raw.count) bytes exceeds \(maxRawSize)")
        var out = ByteWriter()
        out.putUvarint(UInt64(raw.count))
        out.putBytes(Zstd.compress(raw.bytes, level: level))
        return out.bytes
    }

    /// Decompresses a group made by `compress`.
    public static func decompress(_ bytes: ArraySlice<UInt8>) throws(DecodeError) -> CompactChunkGroup {
        var cursor = ByteCursor(bytes)
        let rawSize = cursor.uvarint("raw group size <uvarint>")
        try cursor.check()
        guard rawSize <= UInt64(maxRawSize) else {
            throw DecodeError(offset: 0, expected: "a raw group size of at most \(maxRawSize)", found: "\(rawSize)")
        }
        let frameOffset = cursor.offset
        let raw: [UInt8]
        do {
            raw = try Zstd.decompress(bytes[cursor.position...], expectedSize: Int(rawSize), limit: maxRawSize)
        } catch {
            throw DecodeError(offset: frameOffset, expected: "a zstd frame of \(rawSize) bytes", found: error.description)
        }
        var directory = ByteCursor(raw)
        let count = directory.uvarint("chunk count <uvarint>")
        try directory.check()
        // Every chunk takes at least its one length byte.
        guard count <= UInt64(raw.count) else {
            throw DecodeError(offset: 0, expected: "at most \(raw.count) chunks in \(raw.count) bytes", found: "\(count)")
        }
        var lengths: [Int] = []
        lengths.reserveCapacity(Int(count))
        for index in 0..<Int(count) {
            let length = directory.uvarint("length of chunk \(index) <uvarint>")
            lengths.append(Int(clamping: length))
        }
        try directory.check()
        var ranges: [Range<Int>] = []
        ranges.reserveCapacity(lengths.count)
        var start = directory.offset
        for (index, length) in lengths.enumerated() {
            guard length <= raw.count - start else {
                throw DecodeError(offset: start, expected: "chunk \(index) of \(length) bytes", found: "\(raw.count - start) bytes left")
            }
            ranges.append(start..<start + length)
            start += length
        }
        guard start == raw.count else {
            throw DecodeError(offset: start, expected: "end of chunk group", found: "\(raw.count - start) more bytes")
        }
        return CompactChunkGroup(raw: raw, ranges: ranges)
    }
}
