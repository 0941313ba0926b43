/// One compressed chunk as the codecs produce it and a block stores it. The block layer treats
/// `bytes` as opaque: it packs them into frames and hands them back unchanged; only the codec
/// named by `encoding` can read them.
public struct EncodedChunk: Sendable, Hashable {
    /// The first and last sample timestamps, inclusive, in milliseconds.
    public var minTime: Int64
    public var maxTime: Int64
    public var sampleCount: Int
    /// The codec's persisted number; stored in the index so that a reader can choose the
    /// decoder without opening the chunk.
    public var encoding: UInt8
    public var bytes: [UInt8]

    public init(minTime: Int64, maxTime: Int64, sampleCount: Int, encoding: UInt8, bytes: [UInt8]) {
        self.minTime = minTime
        self.maxTime = maxTime
        self.sampleCount = sampleCount
        self.encoding = encoding
        self.bytes = bytes
    }
}
