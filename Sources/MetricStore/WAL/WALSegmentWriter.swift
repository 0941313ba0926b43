#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Appends framed records to numbered segment files in one directory, starting the next
/// segment when one is full. Used under the WAL's lock, and alone by a checkpoint.
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
    private var dataUnsynced = false
    private var directoryUnsynced = false
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

    var hasUnsyncedData: Bool { dataUnsynced || directoryUnsynced || damage != nil }

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

    /// Makes everything appended so far durable.
    func sync() throws(FileSystemError) {
        try restore()
        if dataUnsynced, let file {
            try file.sync()
            dataUnsynced = false
        }
        if directoryUnsynced {
            try fileSystem.syncDirectory(directory)
            directoryUnsynced = false
        }
    }

    /// Finishes the current segment (durably) and starts the next.
    func rotate() throws(FileSystemError) {
        try sync()
        // The segment is durable; a failing close cannot change that.
        try? file?.close()
        file = nil
        index += 1
        size = 0
        damage = .missingSegment
        try restore()
    }

    /// Syncs and closes; the writer is unusable afterwards.
    func close() throws(FileSystemError) {
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
            try? file.close()
            self.file = nil
            damage = .partialWrite
            try? restore()
            throw error
        }
        size += pending.count
        dataUnsynced = true
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
            dataUnsynced = true
        case .missingSegment:
            file = try fileSystem.create(path)
            size = 0
            // Without the directory entry's fsync, a synced segment could vanish whole.
            directoryUnsynced = true
            dataUnsynced = false
        }
        damage = nil
        if directoryUnsynced {
            try fileSystem.syncDirectory(directory)
            directoryUnsynced = false
        }
    }
}
