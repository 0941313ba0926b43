/// How the WAL cuts segments, batches fsyncs and keeps segments for its consumers.
public struct WALOptions: Hashable, Sendable {
    /// A segment that would grow past this starts the next one (a single larger record gets a
    /// segment of its own). Smaller segments let truncation free space sooner; larger ones
    /// mean fewer files and fsyncs.
    public var segmentSize: Int
    /// `flushIfDue(now:)` fsyncs at most this often: the longest a power loss can reach back.
    public var flushInterval: Duration
    /// Bounds on the segments truncation keeps for consumers behind it.
    public var retention: WALRetention

    public static let defaultSegmentSize = 128 << 20

    public init(
        segmentSize: Int = WALOptions.defaultSegmentSize, flushInterval: Duration = .seconds(1),
        retention: WALRetention = WALRetention()
    ) {
        precondition(segmentSize > WALRecordFrame.headerSize, "BUG: WAL segment size \(segmentSize)")
        self.segmentSize = segmentSize
        self.flushInterval = flushInterval
        self.retention = retention
    }
}
