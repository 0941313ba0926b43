/// What `meta.json` says about a block (format: `docs/format/meta.md`). The time range is
/// half-open, `[minTime, maxTime)`, as in Prometheus, so adjacent blocks share no instant.
public struct BlockMeta: Sendable, Hashable {
    /// The only `meta.json` version this build writes and reads.
    public static let currentVersion = 1

    public var version: Int
    public var id: BlockID
    public var minTime: Int64
    /// Exclusive.
    public var maxTime: Int64
    public var stats: BlockStats
    public var compaction: BlockCompaction

    public init(
        version: Int = BlockMeta.currentVersion, id: BlockID, minTime: Int64, maxTime: Int64,
        stats: BlockStats, compaction: BlockCompaction
    ) {
        self.version = version
        self.id = id
        self.minTime = minTime
        self.maxTime = maxTime
        self.stats = stats
        self.compaction = compaction
    }
}
