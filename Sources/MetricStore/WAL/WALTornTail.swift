/// An incomplete record at the end of the last segment: what a crash in the middle of a write
/// leaves (`kill -9` during write(2), power loss before fsync). Not corruption: the record was
/// never acknowledged as durable. The writer truncates it away when it opens; the note is
/// worth a log line.
public struct WALTornTail: Hashable, Sendable, CustomStringConvertible {
    public let directory: String
    public let segment: String
    /// Where the last whole record ends: the segment's new length.
    public let offset: Int
    /// Bytes after `offset`, dropped.
    public let discardedBytes: Int
    /// Whether the segment was truncated (false when read by a read-only `WALReader`).
    public internal(set) var truncated: Bool

    public var description: String {
        let action = truncated ? "truncated" : "ignored (read-only)"
        return "WAL \(directory), segment \(segment): torn record at byte \(offset), \(discardedBytes) bytes \(action)"
    }
}
