extension PowerLossFileSystem {
    /// What of the unsynced state a crash keeps. Real file systems land anywhere between the
    /// extremes; tests run every mode at every crash point.
    public struct CrashMode: Hashable, Sendable, CustomStringConvertible {
        public enum Data: Hashable, Sendable {
            /// Unsynced writes are lost (LevelDB's fault-injection env).
            case dropped
            /// The first half of each file's unsynced appends survives: a torn write.
            case tornInHalf
        }

        public enum Entries: Hashable, Sendable {
            /// Unsynced creations, renames and removals are undone.
            case undone
            /// They all survive (a journal committed them), though the data may not have.
            case kept
        }

        public var data: Data
        public var entries: Entries

        public init(data: Data, entries: Entries) {
            self.data = data
            self.entries = entries
        }

        public static let strict = CrashMode(data: .dropped, entries: .undone)
        public static let all = [Data.dropped, .tornInHalf].flatMap { data in
            [Entries.undone, .kept].map { CrashMode(data: data, entries: $0) }
        }

        public var description: String { "data \(data), entries \(entries)" }
    }
}
