/// The first byte of every WAL record (docs/format/wal.md). The numbers are on disk: they
/// never change and are never reused.
public enum WALRecordType: UInt8, Sendable {
    /// Never written. A zero type byte is what a zero-filled (preallocated or torn) tail
    /// looks like, so it must not mean anything.
    case invalid = 0
    /// Label sets with the `SeriesRef` the store gave them.
    case series = 1
    /// (ref, timestamp, value) batches.
    case samples = 2
    // 3 is reserved for tombstones (deleted time ranges), when deletion arrives.
    /// What a type byte this version does not know decodes to; never written.
    case unknown = 255

    /// The type for a byte read from disk: numbers from a newer version become `.unknown`.
    init(byte: UInt8) {
        self = WALRecordType(rawValue: byte) ?? .unknown
    }
}
