import Synchronization

/// The write-ahead log: every series and sample batch the store accepts is appended here
/// before the head holds it, so that a restart can rebuild the head (docs/format/wal.md).
///
/// Durability is explicit: `log` puts records in the page cache (a `kill -9` loses nothing
/// logged), `sync` makes them survive power loss, and `flushIfDue(now:)` batches those
/// fsyncs to at most one per `WALOptions.flushInterval`. The WAL has no threads or timers of
/// its own; the store calls `flushIfDue` from its loop. Every method blocks on disk I/O, so
/// call them from the store's own thread, not the concurrency pool.
///
/// Thread-safe: one lock serialises writers. `sync` holds it during the fsync, so appends
/// wait for a flush in progress.
public final class WAL: Sendable {
    public let directory: String
    public let options: WALOptions
    let fileSystem: any FileSystem
    let state: Mutex<State>

    struct State {
        /// nil once closed.
        var writer: WALSegmentWriter?
        var lastFlush: ContinuousClock.Instant?

        func openWriter() throws(WALError) -> WALSegmentWriter {
            guard let writer else { throw WALError.closed }
            return writer
        }
    }

    private init(directory: String, fileSystem: any FileSystem, options: WALOptions, writer: sending WALSegmentWriter) {
        self.directory = directory
        self.fileSystem = fileSystem
        self.options = options
        state = Mutex(State(writer: writer))
    }

    /// Opens the WAL in `directory` (created if missing) for writing: replays it into `body`
    /// first, truncates a torn tail, finishes an interrupted checkpoint's clean-up, and starts
    /// a fresh segment after the last one, so that no existing segment is written again.
    ///
    /// Damage does not make it fail: it is in the report, for the caller to log, count and
    /// `repair`. It throws what `body` throws and I/O errors.
    public static func open(
        directory: String, fileSystem: any FileSystem, options: WALOptions = WALOptions(),
        replay body: (WALRecord) throws -> Void
    ) throws -> (wal: WAL, report: WALReplayReport) {
        if !fileSystem.isDirectory(directory) {
            try fileSystem.createDirectory(directory)
            // The directory's own entry must be durable, or every segment in it can vanish.
            try fileSystem.syncDirectory(parent(of: directory))
        }
        let listing = try WALDirectoryListing(fileSystem: fileSystem, directory: directory)
        // A checkpoint that never got its final name is incomplete: it is simply not there.
        for name in listing.temporaries { try fileSystem.remove(directory + "/" + name) }

        var report = try WALReader(directory: directory, fileSystem: fileSystem).replay(body)
        if var tail = report.tornTail {
            // Before a new segment exists: otherwise the torn segment would no longer be the
            // last one, and its tail would read as damage after the next crash.
            try truncateDurably(tail.directory + "/" + tail.segment, to: tail.offset, fileSystem: fileSystem)
            tail.truncated = true
            report.tornTail = tail
        }
        // What the latest checkpoint superseded, left by a crash in `checkpoint`/`truncate`.
        if let checkpoint = listing.checkpoints.last {
            for segment in listing.segments where segment <= checkpoint {
                try fileSystem.remove(directory + "/" + WALFileNames.segment(segment))
            }
            for older in listing.checkpoints.dropLast() {
                try fileSystem.remove(directory + "/" + WALFileNames.checkpoint(older))
            }
        }

        let live = listing.liveSegments
        var next = live.last.map { $0 + 1 } ?? listing.checkpoints.last.map { $0 + 1 } ?? 0
        // An empty last segment (a crash right after it was started) is reused, so restarts
        // in a crash loop do not pile up empty files.
        if let last = live.last, try fileSystem.size(of: directory + "/" + WALFileNames.segment(last)) == 0 {
            next = last
        }
        // Creating the segment syncs the directory, which also makes the removals durable.
        let writer = try WALSegmentWriter(
            fileSystem: fileSystem, directory: directory, index: next, segmentSize: options.segmentSize)
        return (WAL(directory: directory, fileSystem: fileSystem, options: options, writer: writer), report)
    }

    /// Appends a series record (several, for a large batch). Log a series before any sample
    /// that refers to it. If it throws, a prefix of the batch's records may have been logged
    /// (never part of a record).
    public func log(series: [WALSeries]) throws {
        guard !series.isEmpty else { return }
        let frames = try WALRecordEncoder.frames(series: series)
        try state.withLock { state in try state.openWriter().append(frames) }
    }

    /// Appends a samples record (several, for a large batch); on errors as `log(series:)`.
    public func log(samples: [WALSample]) throws {
        guard !samples.isEmpty else { return }
        let frames = WALRecordEncoder.frames(samples: samples)
        try state.withLock { state in try state.openWriter().append(frames) }
    }

    /// Makes every record logged so far durable. After it throws, records logged before may
    /// or may not be durable (a failed fsync can have dropped dirty pages; retrying does not
    /// bring them back): treat them as lost.
    public func sync() throws {
        try state.withLock { state in try state.openWriter().sync() }
    }

    /// Syncs if records are waiting and the last flush by this method was at least
    /// `flushInterval` before `now`; returns whether it synced.
    @discardableResult
    public func flushIfDue(now: ContinuousClock.Instant) throws -> Bool {
        try state.withLock { state in
            let writer = try state.openWriter()
            guard writer.hasUnsyncedData else { return false }
            if let last = state.lastFlush, now - last < options.flushInterval { return false }
            try writer.sync()
            state.lastFlush = now
            return true
        }
    }

    /// Whether `sync()` has anything to do.
    public var hasUnsyncedRecords: Bool {
        state.withLock { $0.writer?.hasUnsyncedData ?? false }
    }

    /// The number of the segment being written.
    public var currentSegment: Int {
        get throws { try state.withLock { state in try state.openWriter().index } }
    }

    /// Finishes the current segment (synced) and starts the next, unless the current one is
    /// empty; returns the number of the segment now being written. Everything before it is
    /// closed and can be checkpointed.
    @discardableResult
    public func cutSegment() throws -> Int {
        try state.withLock { state in
            let writer = try state.openWriter()
            if writer.size > 0 { try writer.rotate() }
            return writer.index
        }
    }

    /// Syncs and closes the current segment; later calls throw `WALError.closed`.
    public func close() throws {
        try state.withLock { state in
            let writer = state.writer
            state.writer = nil
            try writer?.close()
        }
    }

    /// Cuts a file to `length` so that the cut survives power loss: the new length is part
    /// of the file's metadata, which an fsync of the file writes.
    static func truncateDurably(_ path: String, to length: Int, fileSystem: any FileSystem) throws(FileSystemError) {
        try fileSystem.truncate(path, to: length)
        let file = try fileSystem.openForAppend(path)
        try file.sync()
        try file.close()
    }

    static func parent(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }
}
