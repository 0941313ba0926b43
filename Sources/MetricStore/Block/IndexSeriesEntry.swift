/// One entry of the index's series section (docs/format/index.md, "Series"):
///
///     │ len <uvarint> │ labels count <uvarint> │ (name ref, value ref) <uvarint × 2> … │
///     │ chunks count <uvarint> │ chunk meta … │
///
/// The first chunk meta is absolute; each later one is coded against the previous chunk of
/// the same series, whose bytes the writer put right before it, so that a typical meta costs
/// about ten bytes instead of thirty:
///
///     first:  minTime <varint>                       later:  minTime − prev maxTime <uvarint ≥ 1>
///             maxTime − minTime <uvarint>                    maxTime − minTime <uvarint>
///             samples <uvarint ≥ 1>                          samples <uvarint ≥ 1>
///             encoding <1b>                                  encoding <1b>
///             segment <uvarint ≥ 1>                          segment − prev segment <uvarint>
///             frame offset <uvarint>                         same segment: − prev frame offset; else absolute
///             offset in frame <uvarint>                      same frame: − prev chunk's end; else absolute
///             length <uvarint ≥ 1>                           length <uvarint ≥ 1>
enum IndexSeriesEntry {
    static func encode(_ series: BlockSeries, symbols: [String: Int], into writer: inout ByteWriter) {
        var body = ByteWriter()
        body.putUvarint(UInt64(series.labels.count))
        for label in series.labels.pairs {
            body.putUvarint(UInt64(symbols[label.name]!))
            body.putUvarint(UInt64(symbols[label.value]!))
        }
        body.putUvarint(UInt64(series.chunks.count))
        var previous: BlockChunkMeta?
        for chunk in series.chunks {
            encode(chunk, after: previous, into: &body)
            previous = chunk
        }
        writer.putUvarint(UInt64(body.count))
        writer.putBytes(body.bytes)
    }

    private static func encode(_ chunk: BlockChunkMeta, after previous: BlockChunkMeta?, into body: inout ByteWriter) {
        let ref = chunk.ref
        guard let previous else {
            body.putVarint(chunk.minTime)
            body.putUvarint(distance(chunk.minTime, chunk.maxTime))
            body.putUvarint(UInt64(chunk.sampleCount))
            body.putByte(chunk.encoding)
            body.putUvarint(UInt64(ref.segment))
            body.putUvarint(UInt64(ref.frameOffset))
            body.putUvarint(UInt64(ref.offsetInFrame))
            body.putUvarint(UInt64(ref.length))
            return
        }
        let before = previous.ref
        body.putUvarint(distance(previous.maxTime, chunk.minTime))
        body.putUvarint(distance(chunk.minTime, chunk.maxTime))
        body.putUvarint(UInt64(chunk.sampleCount))
        body.putByte(chunk.encoding)
        body.putUvarint(UInt64(ref.segment - before.segment))
        let sameSegment = ref.segment == before.segment
        body.putUvarint(UInt64(sameSegment ? ref.frameOffset - before.frameOffset : ref.frameOffset))
        let sameFrame = sameSegment && ref.frameOffset == before.frameOffset
        body.putUvarint(UInt64(sameFrame ? ref.offsetInFrame - before.offsetInFrame - before.length : ref.offsetInFrame))
        body.putUvarint(UInt64(ref.length))
    }

    /// Decodes the entry at the cursor. Everything a later reader relies on is checked here:
    /// symbol refs in range, label names ascending, values non-empty, chunks in time order
    /// without overlap, no arithmetic overflow. On bad input the cursor holds the error.
    static func decode(_ cursor: inout ByteCursor, symbols: [String]) -> BlockSeries? {
        let length = cursor.uvarint("series entry length")
        guard length <= UInt64(cursor.remaining) else {
            cursor.fail("a series entry of at most \(cursor.remaining) bytes", found: "\(length) bytes")
            return nil
        }
        let bodyStart = cursor.offset
        var body = ByteCursor(cursor.bytes(count: Int(length), "series entry"))
        guard let series = decodeBody(&body, symbols: symbols) else {
            if let error = body.error {
                cursor.fail(error.expected, found: error.found, at: bodyStart + error.offset)
            }
            return nil
        }
        return series
    }

    private static func decodeBody(_ body: inout ByteCursor, symbols: [String]) -> BlockSeries? {
        let labelCount = body.uvarint("labels count")
        // Each pair takes at least two bytes.
        guard labelCount <= UInt64(body.remaining / 2) else {
            body.fail("a labels count of at most \(body.remaining / 2)", found: "\(labelCount)")
            return nil
        }
        var pairs: [Label] = []
        pairs.reserveCapacity(Int(labelCount))
        for _ in 0..<Int(labelCount) {
            guard let name = symbol(&body, symbols, "label name ref"),
                  let value = symbol(&body, symbols, "label value ref")
            else { return nil }
            if let last = pairs.last, !IndexOrder.less(last.name, name) {
                body.fail("label names in ascending order", found: "\"\(name)\" after \"\(last.name)\"")
                return nil
            }
            guard !value.isEmpty else {
                body.fail("a non-empty label value", found: "an empty value for \"\(name)\"")
                return nil
            }
            pairs.append(Label(name, value))
        }
        let chunkCount = body.uvarint("chunks count")
        // A chunk meta takes at least eight bytes.
        guard chunkCount <= UInt64(body.remaining / 8) else {
            body.fail("a chunks count of at most \(body.remaining / 8)", found: "\(chunkCount)")
            return nil
        }
        var chunks: [BlockChunkMeta] = []
        chunks.reserveCapacity(Int(chunkCount))
        for _ in 0..<Int(chunkCount) {
            guard let chunk = decodeChunk(&body, after: chunks.last) else { return nil }
            chunks.append(chunk)
        }
        body.expectEnd("series entry")
        guard body.error == nil else { return nil }
        return BlockSeries(labels: Labels(sortedUnique: pairs), chunks: chunks)
    }

    private static func decodeChunk(_ body: inout ByteCursor, after previous: BlockChunkMeta?) -> BlockChunkMeta? {
        let start = body.offset
        let minTime: Int64?
        if let previous {
            let gap = body.uvarint("gap after the previous chunk's maxTime")
            minTime = gap == 0 ? nil : add(previous.maxTime, gap)
        } else {
            minTime = body.varint("chunk minTime")
        }
        let duration = body.uvarint("chunk maxTime − minTime")
        let samples = body.uvarint("chunk sample count")
        let encoding = body.byte("chunk encoding")
        let segmentField = body.uvarint("chunk segment")
        let frameField = body.uvarint("chunk frame offset")
        let offsetField = body.uvarint("chunk offset in frame")
        let length = body.uvarint("chunk length")
        guard body.error == nil else { return nil }
        guard let minTime, let maxTime = add(minTime, duration) else {
            body.fail("chunk times after the previous chunk's and within 64 bits", found: "an overflow or overlap", at: start)
            return nil
        }
        let ref: BlockChunkRef?
        if let previous {
            let before = previous.ref
            let segment = before.segment.addingClamped(segmentField)
            let sameSegment = segmentField == 0
            let frameOffset = sameSegment ? before.frameOffset.addingClamped(frameField) : Int(clamping: frameField)
            let sameFrame = sameSegment && frameField == 0
            let offsetInFrame = sameFrame
                ? (before.offsetInFrame + before.length).addingClamped(offsetField) : Int(clamping: offsetField)
            ref = BlockChunkRef(
                segment: segment, frameOffset: frameOffset, offsetInFrame: offsetInFrame, length: Int(clamping: length))
        } else {
            ref = BlockChunkRef(
                segment: Int(clamping: segmentField), frameOffset: Int(clamping: frameField),
                offsetInFrame: Int(clamping: offsetField), length: Int(clamping: length))
        }
        // Refs past any real file are caught when the chunk is read; here only what is
        // impossible in any block: clamped (overflowing) fields, a segment 0, empty chunks.
        guard let ref, ref.segment >= 1, ref.segment <= BlockFileNames.maxSegmentNumber,
              ref.frameOffset < Int.max, ref.length >= 1, ref.length <= ChunkSegmentFormat.maxFrameRawSize,
              ref.offsetInFrame <= ChunkSegmentFormat.maxFrameRawSize - ref.length,
              samples >= 1, samples <= UInt64(Int32.max)
        else {
            body.fail("a chunk ref within the format's limits and at least one sample", found: "an impossible value", at: start)
            return nil
        }
        return BlockChunkMeta(minTime: minTime, maxTime: maxTime, sampleCount: Int(samples), encoding: encoding, ref: ref)
    }

    private static func symbol(_ body: inout ByteCursor, _ symbols: [String], _ what: String) -> String? {
        let start = body.offset
        let ref = body.uvarint(what)
        guard body.error == nil else { return nil }
        guard ref < UInt64(symbols.count) else {
            body.fail("\(what) below \(symbols.count)", found: "\(ref)", at: start)
            return nil
        }
        return symbols[Int(ref)]
    }

    /// `to − from` for `from ≤ to`, exact over the whole Int64 range.
    private static func distance(_ from: Int64, _ to: Int64) -> UInt64 {
        precondition(from <= to, "BUG: chunk times must ascend")
        return UInt64(bitPattern: to &- from)
    }

    /// `base + delta`, or nil if it leaves Int64.
    private static func add(_ base: Int64, _ delta: UInt64) -> Int64? {
        guard delta <= UInt64(bitPattern: Int64.max &- base) else { return nil }
        return base &+ Int64(bitPattern: delta)
    }
}

private extension Int {
    /// Saturates at Int.max, which every caller then rejects as impossible.
    func addingClamped(_ delta: UInt64) -> Int {
        let (sum, overflow) = addingReportingOverflow(Int(clamping: delta))
        return overflow ? Int.max : sum
    }
}
