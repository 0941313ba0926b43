/// What a checkpoint kept and dropped, for the log and the store's metrics.
public struct WALCheckpointStats: Hashable, Sendable {
    /// The checkpoint's number (the last segment it covers); nil when there was nothing to do.
    public var checkpoint: Int?
    public var seriesKept = 0
    public var seriesDropped = 0
    public var samplesKept = 0
    public var samplesDropped = 0
    /// Records of unknown types, copied unchanged.
    public var unknownRecordsKept = 0
    /// Segments the truncation after it kept for consumers, and removed although a consumer
    /// still needed them (past the retention bounds).
    public var segmentsKept = 0
    public var segmentsDropped = 0

    public init(checkpoint: Int? = nil) {
        self.checkpoint = checkpoint
    }
}
