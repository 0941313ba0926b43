/// Segments a `WALTailReader` wanted and found removed: truncation dropped them past the
/// retention bounds before the reader got there (or no consumer had registered a watermark).
/// Their samples are lost to this reader; it went on at `resumedAt`.
public struct WALTailGap: Hashable, Sendable, CustomStringConvertible {
    /// The segments lost, first to last.
    public let segments: ClosedRange<Int>
    public let resumedAt: WALPosition

    public var description: String {
        "WAL segments \(WALFileNames.segment(segments.lowerBound))…\(WALFileNames.segment(segments.upperBound)) "
            + "were removed before they were read; resumed at \(resumedAt)"
    }
}
