/// Every name a block puts on disk, in one place, so that the writer, the reader, cleanup,
/// compaction and retention cannot disagree about them (VictoriaMetrics keeps its file names
/// in one file for the same reason). The layout they form is drawn in
/// `docs/format/index.md`, `chunk-files.md` and `meta.md`:
///
///     <data dir>/<block id>/chunks/000001
///                          /chunks/000002 …
///                          /index
///                          /meta.json
///     <data dir>/<block id>.tmp/            a block being written; removed on open
public enum BlockFileNames {
    public static let chunksDirectory = "chunks"
    public static let index = "index"
    public static let meta = "meta.json"
    /// Suffix of a block directory that is still being written.
    public static let temporarySuffix = ".tmp"

    /// Segment numbers start at 1 and are written with six digits, so that names sort in
    /// number order (as Prometheus names its chunk segments).
    public static let segmentDigits = 6
    public static let maxSegmentNumber = 999_999

    public static func segment(_ number: Int) -> String {
        let digits = String(number)
        return String(repeating: "0", count: max(0, segmentDigits - digits.count)) + digits
    }

    /// The number of a segment file name, or nil for any other name.
    public static func segmentNumber(_ name: String) -> Int? {
        guard name.utf8.count == segmentDigits, name.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }),
              let number = Int(name), number >= 1
        else { return nil }
        return number
    }

    /// `chunks/000001`: how errors and docs name a segment inside its block.
    public static func segmentPath(_ number: Int) -> String {
        chunksDirectory + "/" + segment(number)
    }

    public static func temporaryDirectory(for id: BlockID) -> String {
        id.description + temporarySuffix
    }

    static func join(_ directory: String, _ name: String) -> String {
        directory.hasSuffix("/") ? directory + name : directory + "/" + name
    }
}
