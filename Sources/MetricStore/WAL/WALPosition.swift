/// A place in the WAL between two records: segment `segment`, byte `offset` in it, where the
/// next record starts. A consumer persists it (two integers) and resumes a `WALTailReader`
/// from it after a restart.
public struct WALPosition: Hashable, Comparable, Sendable, CustomStringConvertible {
    public var segment: Int
    public var offset: Int

    public init(segment: Int, offset: Int) {
        self.segment = segment
        self.offset = offset
    }

    public static func < (lhs: WALPosition, rhs: WALPosition) -> Bool {
        (lhs.segment, lhs.offset) < (rhs.segment, rhs.offset)
    }

    public var description: String { "segment \(WALFileNames.segment(segment)) at byte \(offset)" }
}
