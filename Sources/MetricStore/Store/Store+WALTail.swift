/// The store's WAL for its consumers (the remote-write shipper): a tail reader, and the
/// low-watermark that keeps truncation from removing what a consumer has not read yet.
extension Store {
    /// A reader over the WAL from `position` (persisted from an earlier reader's
    /// `position`), or from the oldest segment on disk. Works on read-only stores too: it
    /// reads the directory without changing it, beside the process that writes it.
    public func walTailReader(from position: WALPosition? = nil) throws(StoreError) -> WALTailReader {
        do {
            return try WALTailReader(directory: directory + "/" + StoreFileNames.wal, fileSystem: fileSystem, from: position)
        } catch let error as FileSystemError {
            throw .io(error)
        } catch {
            throw .wal("\(error)", cause: error)
        }
    }

    /// Registers the oldest WAL segment `consumer` still needs (usually its reader's
    /// `position.segment`, once the records before it are handled); nil removes the
    /// consumer. Truncation keeps those segments within `StoreOptions.wal.retention`.
    public func retainWAL(from segment: Int?, consumer: String) throws(StoreError) {
        guard let wal else { throw .wal("a read-only store does not truncate its WAL; nothing to retain for \(consumer)") }
        wal.setLowWatermark(segment, consumer: consumer)
    }

    /// What truncation kept for consumers and dropped past the bounds; nil for read-only stores.
    public var walRetention: WALRetentionStats? { wal?.retentionStats }
}
