/// What truncation kept for consumers and what it had to drop, for the log and metrics.
public struct WALRetentionStats: Hashable, Sendable {
    /// Segments before the latest checkpoint kept for consumers, and their bytes.
    public var keptSegments = 0
    public var keptBytes = 0
    /// Segments removed although a consumer still needed them (past `WALRetention`'s
    /// bounds), since the WAL was opened.
    public var droppedSegments = 0

    public init() {}
}
