/// What one `WALTailReader.next(limit:)` read: whole records in log order, and any gaps
/// crossed on the way, in order too.
public struct WALTailBatch: Hashable, Sendable {
    public var records: [WALRecord] = []
    public var gaps: [WALTailGap] = []
    /// Where the reader stands after this batch: persist it once the records are handled.
    public var position: WALPosition

    public init(position: WALPosition) {
        self.position = position
    }

    /// The number of segments lost in `gaps`.
    public var droppedSegments: Int { gaps.reduce(0) { $0 + $1.segments.count } }
}
