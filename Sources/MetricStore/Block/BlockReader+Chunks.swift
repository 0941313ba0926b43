extension BlockReader {
    /// The bytes of the chunk at `ref`, from its frame: from the cache, or read, verified,
    /// decompressed and then cached. The slice shares the frame's storage (no copy), so
    /// holding it keeps the whole frame in memory.
    public func chunkBytes(_ ref: BlockChunkRef) throws(BlockReadError) -> ArraySlice<UInt8> {
        guard ref.segment >= 1, ref.segment <= segmentSizes.count else {
            throw .corrupt(BlockCorruptionError(
                block: directory, file: BlockFileNames.segmentPath(ref.segment), offset: 0,
                expected: "a segment the index refers to", found: "only \(segmentSizes.count) segments"))
        }
        let key = FrameCache.Key(segment: ref.segment, offset: ref.frameOffset)
        let frame: [UInt8]
        if let cached = cache.withLock({ $0.frame(key) }) {
            frame = cached
        } else {
            // Read outside the lock, so that concurrent queries on other frames do not wait.
            frame = try frames.frame(segment: ref.segment, size: segmentSizes[ref.segment - 1], offset: ref.frameOffset)
            cache.withLock { $0.insert(frame, for: key) }
        }
        guard ref.offsetInFrame >= 0, ref.length >= 0, ref.offsetInFrame <= frame.count - ref.length else {
            throw .corrupt(BlockCorruptionError(
                block: directory, file: BlockFileNames.segmentPath(ref.segment), offset: ref.frameOffset,
                expected: "a chunk inside the frame's \(frame.count) bytes",
                found: "\(ref.length) bytes at \(ref.offsetInFrame)"))
        }
        return frame[ref.offsetInFrame..<ref.offsetInFrame + ref.length]
    }

    /// The chunk `meta` describes, with a copy of its bytes.
    public func chunk(_ meta: BlockChunkMeta) throws(BlockReadError) -> EncodedChunk {
        EncodedChunk(
            minTime: meta.minTime, maxTime: meta.maxTime, sampleCount: meta.sampleCount, encoding: meta.encoding,
            bytes: Array(try chunkBytes(meta.ref)))
    }
}
