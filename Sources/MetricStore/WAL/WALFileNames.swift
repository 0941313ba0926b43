/// Every name the WAL gives a file or directory, in one place (docs/format/wal.md):
///
///     wal/
///     ├── 00000012                   segments, numbered in write order
///     ├── 00000013
///     ├── checkpoint.00000011/       what survived of segments ≤ 11
///     │   └── 00000000
///     └── checkpoint.00000011.tmp/   a checkpoint being written (removed on open)
enum WALFileNames {
    static let checkpointPrefix = "checkpoint."
    static let temporarySuffix = ".tmp"

    /// Zero-padded to 8 digits so that names sort like numbers; larger numbers get more digits
    /// and still parse.
    static func segment(_ index: Int) -> String {
        let digits = String(index)
        return String(repeating: "0", count: max(0, 8 - digits.count)) + digits
    }

    static func checkpoint(_ index: Int) -> String { checkpointPrefix + segment(index) }

    static func temporaryCheckpoint(_ index: Int) -> String { checkpoint(index) + temporarySuffix }

    /// The file a damaged segment's discarded bytes are kept in by `WAL.repair`.
    static func quarantined(directory: String, segment: String, offset: Int) -> String {
        let parent = directory.split(separator: "/").last.map(String.init) ?? "wal"
        return "\(parent)-\(segment)-at-\(offset)"
    }

    static func parseSegment(_ name: String) -> Int? {
        guard name.utf8.count >= 8, name.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return nil }
        return Int(name)
    }

    static func parseCheckpoint(_ name: String) -> Int? {
        guard name.hasPrefix(checkpointPrefix) else { return nil }
        return parseSegment(String(name.dropFirst(checkpointPrefix.count)))
    }

    static func isTemporary(_ name: String) -> Bool {
        name.hasPrefix(checkpointPrefix) && name.hasSuffix(temporarySuffix)
    }
}
