/// The store's own entries in the data directory; blocks name theirs in `BlockFileNames`,
/// the WAL in `WALFileNames`.
///
///     <data dir>/lock          held by the one writer
///     <data dir>/wal/          the write-ahead log
///     <data dir>/<block id>/   immutable blocks
///     <data dir>/quarantine/   damaged blocks and WAL segments, moved aside, never read
public enum StoreFileNames {
    public static let lock = "lock"
    public static let wal = "wal"
    public static let quarantine = "quarantine"
}
