/// Misuse of the WAL, as opposed to I/O failures (`FileSystemError`) and damage found on disk
/// (`WALCorruptionError`).
public enum WALError: Error, Hashable, Sendable, CustomStringConvertible {
    /// `close()` was called; the WAL takes no more records.
    case closed
    /// One series entry larger than a record may be (a label set of megabytes).
    case recordTooLarge(bytes: Int, limit: Int)
    /// Checkpoint or truncation asked to cover the segment still being written.
    case segmentInUse(Int)

    public var description: String {
        switch self {
        case .closed: "the WAL is closed"
        case .recordTooLarge(let bytes, let limit): "a WAL record of \(bytes) bytes exceeds the limit of \(limit)"
        case .segmentInUse(let segment): "WAL segment \(segment) is still being written"
        }
    }
}
