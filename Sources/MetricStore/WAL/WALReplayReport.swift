/// What replay read and what it found, for the caller to log and count.
public struct WALReplayReport: Equatable, Sendable {
    /// The checkpoint read first, if any.
    public var checkpoint: Int?
    /// Segments read after the checkpoint.
    public var segments: [Int] = []
    /// Records handed to the replay closure, unknown ones included.
    public var records = 0
    /// Records of a type this version does not know.
    public var unknownRecords = 0
    public var tornTail: WALTornTail?
    /// Damage, at most one per segment: replay of a segment stops at its first damage.
    public var corruptions: [WALCorruptionError] = []

    public init() {}

    /// One line each for the log: the torn tail and every corruption.
    public var notes: [String] {
        (tornTail.map { [$0.description] } ?? []) + corruptions.map(\.description)
    }
}
