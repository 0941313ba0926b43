/// What the index knows of one chunk of a series: enough to skip it by time without reading
/// it, and where to find it.
public struct BlockChunkMeta: Sendable, Hashable {
    /// First and last sample timestamps, inclusive.
    public var minTime: Int64
    public var maxTime: Int64
    public var sampleCount: Int
    /// The codec's persisted number (`ChunkEncoding.rawValue`).
    public var encoding: UInt8
    public var ref: BlockChunkRef

    public init(minTime: Int64, maxTime: Int64, sampleCount: Int, encoding: UInt8, ref: BlockChunkRef) {
        self.minTime = minTime
        self.maxTime = maxTime
        self.sampleCount = sampleCount
        self.encoding = encoding
        self.ref = ref
    }
}
