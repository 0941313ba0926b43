/// Misuse of the WAL, as opposed to I/O failures (`FileSystemError`) and damage found on disk
/// (`WALCorruptionError`).
public enum WALError: Error, Hashable, Sendable, CustomStringConvertible {
    /// `close()` was called; the WAL takes no more records.
    case closed
    /// One series entry larger than a record may be (a label set of megabytes).
    case recordTooLarge(bytes: Int, limit: Int)
    /// Checkpoint or truncation asked to cover the segment still being written.
    case segmentInUse(Int)
    /// A tail reader was asked to start at a negative segment or offset.
    case invalidPosition(WALPosition)
    /// A tail reader was asked for fewer than one record.
    case invalidLimit(Int)
    /// A tail reader's position lies past the newest segment and the one after it: the WAL
    /// was reset, or the position was saved from another one.
    case positionAhead(WALPosition, newestSegment: Int)

    public var description: String {
        switch self {
        case .closed: "the WAL is closed"
        case .recordTooLarge(let bytes, let limit): "a WAL record of \(bytes) bytes exceeds the limit of \(limit)"
        case .segmentInUse(let segment): "WAL segment \(segment) is still being written"
        case .invalidPosition(let position): "invalid WAL position: \(position) (segment and offset must not be negative)"
        case .invalidLimit(let limit): "a WAL tail read needs a limit of at least 1 record, not \(limit)"
        case .positionAhead(let position, let newest):
            "WAL position \(position) lies past the newest segment \(WALFileNames.segment(newest)): "
                + "the WAL was reset, or the position belongs to another one"
        }
    }
}
