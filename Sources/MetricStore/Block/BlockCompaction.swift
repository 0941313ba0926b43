/// Where a block came from: level 1 is a block cut from the head; a compacted block has the
/// highest level of its parents plus one, and `sources` lists the level-1 blocks it contains,
/// so that compaction can tell overlapping ancestry apart.
public struct BlockCompaction: Sendable, Hashable {
    public var level: Int
    public var sources: [BlockID]

    public init(level: Int, sources: [BlockID]) {
        self.level = level
        self.sources = sources
    }
}
