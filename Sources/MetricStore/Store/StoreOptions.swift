public struct StoreOptions: Sendable {
    public var head = HeadOptions()
    public var wal = WALOptions()
    public var blockWriter = BlockWriterOptions(compressionLevel: 9)
    /// Samples per chunk in blocks. Longer chunks compress better (the timestamp and value
    /// patterns repeat within them) at a higher cost for queries of a short range.
    public var blockChunkSamples = 1200
    /// Open without the writer's lock and without touching the WAL or blocks: for `export`,
    /// `tsdb stats` and queries while the agent runs.
    public var readOnly = false

    public init() {}
}
