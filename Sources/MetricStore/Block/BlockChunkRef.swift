/// Where a chunk's bytes are: in segment file `chunks/<segment>`, in the frame starting at
/// byte `frameOffset` of that file, at `offsetInFrame` of the frame's decompressed bytes,
/// `length` bytes long (docs/format/chunk-files.md).
public struct BlockChunkRef: Sendable, Hashable, CustomStringConvertible {
    /// 1-based, as in the file name.
    public var segment: Int
    public var frameOffset: Int
    public var offsetInFrame: Int
    public var length: Int

    public init(segment: Int, frameOffset: Int, offsetInFrame: Int, length: Int) {
        self.segment = segment
        self.frameOffset = frameOffset
        self.offsetInFrame = offsetInFrame
        self.length = length
    }

    public var description: String {
        "\(BlockFileNames.segmentPath(segment))@\(frameOffset)+\(offsetInFrame):\(length)"
    }
}
