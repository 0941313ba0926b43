#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Appends framed records to numbered segment files in one directory, starting the next
/// segment when one is full. Used under the WAL's lock, and alone by a checkpoint.
///
/// The fsync can run outside that lock: `prepareSync()` (under the lock) hands out the file
/// and how far the fsync will cover, the caller fsyncs without the lock, and
/// `syncCompleted(through:)` (under the lock again) records it. Meanwhile a rotation or a
/// failed write may replace the file: the old handle is retired, not closed, so the fsync in
/// flight never meets a closed or reused descriptor; the WAL closes retired files once no
/// fsync is in flight (`closeRetired()`).
///
/// Invariants that replay relies on:
/// - A segment holds whole records only, as far as anyone can tell after a restart: a failed
///   write is cut off again (truncate) before anything else is appended.
/// - A segment is fsynced before the next one is created, so after power loss only the last
///   non-empty segment can end in a torn record.
/// - `sync()` returns only when the records and the segment's directory entry are durable.
final class WALSegmentWriter {
    let fileSystem: any FileSystem
    let directory: String
    let segmentSize: Int
    /// The segment being written.
    private(set) var index: Int
    /// Bytes of whole records in the current segment.
    private(set) var size = 0
    private var file: (any WritableFile)?
    /// Counts the changes to segment data: every write, and every cut of a partial write.
    /// An fsync that started when it read `n` has made the first `n` durable.
    private(set) var logged: UInt64 = 0
    /// How many of `logged` an fsync has made durable.
    private(set) var synced: UInt64 = 0
    private(set) var directoryUnsynced = false
    /// Handles replaced by a rotation or a failed write, kept open for an fsync in flight.
    private var retired: [any WritableFile] = []
    /// Set when a failed operation left the segment in a state that must be fixed before the
    /// next write (see `restore()`).
    private var damage: Damage?

    private enum Damage {
        /// A write failed part-way: bytes after `size` may be in the file.
        case partialWrite
        /// The next segment is still to be created.
        case missingSegment
    }

    /// Starts segment `index`, replacing any file of that name (an empty leftover).
    init(fileSystem: any FileSystem, directory: String, index: Int, segmentSize: Int) throws(FileSystemError) {
        self.fileSystem = fileSystem
        self.directory = directory
        self.index = index
        self.segmentSize = segmentSize
        damage = .missingSegment
        try restore()
    }

    var path: String { directory + "/" + WALFileNames.segment(index) }

    var hasUnsyncedData: Bool { logged > synced || directoryUnsynced || damage != nil }

    /// Whether records up to `target` (a value of `logged`) are durable, with nothing else
    /// for a `sync()` to repair.
    func isSynced(through target: UInt64) -> Bool {
        synced >= target && !directoryUnsynced && damage == nil
    }

    /// The fsync a `sync()` needs: the file and the `logged` value it covers.
    struct PendingSync {
        let file: any WritableFile
        let through: UInt64
    }

    /// Appends the frames in order, each whole in one segment; one write(2) per segment.
    func append(_ frames: [[UInt8]]) throws(FileSystemError) {
        try restore()
        var pending: [UInt8] = []
        for frame in frames {
            if size + pending.count > 0 && size + pending.count + frame.count > segmentSize {
                try write(&pending)
                if size > 0 { try rotate() }
            }
            pending.append(contentsOf: frame)
        }
        try write(&pending)
    }

    /// Makes everything appended so far durable, fsyncing in place.
    func sync() throws(FileSystemError) {
        guard let pending = try prepareSync() else { return }
        try pending.file.sync()
        syncCompleted(through: pending.through)
    }

    /// The first half of `sync()`: repairs what a failed operation left, makes the segment's
    /// directory entry durable, and returns the fsync still needed (nil if none). Run
    /// `pending.file.sync()` next, with or without the caller's lock, then `syncCompleted`.
    func prepareSync() throws(FileSystemError) -> PendingSync? {
        try restore()
        if directoryUnsynced {
            try fileSystem.syncDirectory(directory)
            directoryUnsynced = false
        }
        guard logged > synced, let file else { return nil }
        return PendingSync(file: file, through: logged)
    }

    /// Records a successful fsync from `prepareSync()`. Syncs finishing out of order cannot
    /// move `synced` back.
    func syncCompleted(through: UInt64) {
        synced = max(synced, through)
    }

    /// Finishes the current segment (durably) and starts the next.
    func rotate() throws(FileSystemError) {
        try sync()
        if let file { retired.append(file) }
        file = nil
        index += 1
        size = 0
        damage = .missingSegment
        try restore()
    }

    /// Closes the handles retired by rotations and failed writes; call only when no fsync
    /// from `prepareSync()` is in flight. They were synced (or failed) already: a failing
    /// close changes nothing.
    func closeRetired() {
        for file in retired { try? file.close() }
        retired = []
    }

    /// Syncs and closes; the writer is unusable afterwards. Call only when no fsync from
    /// `prepareSync()` is in flight.
    func close() throws(FileSystemError) {
        defer { closeRetired() }
        try sync()
        try file?.close()
        file = nil
    }

    private func write(_ pending: inout [UInt8]) throws(FileSystemError) {
        guard !pending.isEmpty else { return }
        guard let file else { throw FileSystemError(operation: "write", path: path, errno: EBADF) }
        do throws(FileSystemError) {
            try file.write(pending)
        } catch {
            // Part of the bytes may be in the file: cut them off now if the disk lets us, or
            // before the next write otherwise, so no torn record ends up mid-segment.
            retired.append(file)
            self.file = nil
            damage = .partialWrite
            try? restore()
            throw error
        }
        size += pending.count
        logged &+= 1
        pending.removeAll(keepingCapacity: true)
    }

    /// Repairs what a failed operation left behind; a no-op when nothing failed.
    private func restore() throws(FileSystemError) {
        switch damage {
        case nil:
            return
        case .partialWrite:
            try fileSystem.truncate(path, to: size)
            file = try fileSystem.openForAppend(path)
            // The truncation itself is made durable by the next fsync of the file.
            logged &+= 1
        case .missingSegment:
            file = try fileSystem.create(path)
            size = 0
            // Without the directory entry's fsync, a synced segment could vanish whole.
            directoryUnsynced = true
        }
        damage = nil
        if directoryUnsynced {
            try fileSystem.syncDirectory(directory)
            directoryUnsynced = false
        }
    }
}
