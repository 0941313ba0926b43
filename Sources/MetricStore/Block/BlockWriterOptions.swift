/// Tuning of a block write. The defaults are what the agent uses; tests shrink the sizes to
/// get many frames and segments out of little data.
public struct BlockWriterOptions: Sendable, Hashable {
    /// zstd level for frames. 3 is zstd's default: most of the ratio of level 9 at a few
    /// times its speed, which matters for imports.
    public var compressionLevel: Int32
    /// Raw bytes of chunks gathered into one frame before it is compressed. zstd needs a few
    /// KiB of context to find the repetitions between neighbouring series; a reader must
    /// decompress a whole frame to read one chunk, so frames stay small.
    public var frameSize: Int
    /// A new segment file starts once the current one reaches this size; a frame never spans
    /// two segments, so a segment can exceed it by one frame.
    public var segmentSize: Int

    public init(compressionLevel: Int32 = 3, frameSize: Int = 64 << 10, segmentSize: Int = 512 << 20) {
        self.compressionLevel = compressionLevel
        self.frameSize = min(max(1, frameSize), ChunkSegmentFormat.maxFrameRawSize)
        self.segmentSize = max(ChunkSegmentFormat.headerSize + 1, segmentSize)
    }
}
