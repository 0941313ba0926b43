
/// The write-ahead log: every series and sample batch the store accepts is appended here
/// before the head holds it, so that a restart can rebuild the head (docs/format/wal.md).
///
/// Durability is explicit: `log` puts records in the page cache (a `kill -9` loses nothing
/// logged), `sync` makes them survive power loss, and `flushIfDue(now:)` batches those
/// fsyncs to at most one per `WALOptions.flushInterval`. The WAL has no threads or timers of
/// its own; the store calls `flushIfDue` from its loop. Every method blocks on disk I/O, so
/// call them from the store's own thread, not the concurrency pool.
///
/// Thread-safe. `state` is the lock logging takes; it is never held across an fsync of the
/// segment being written. `syncing` serialises syncs, and is held across their fsync: a sync
/// that waited for another one returns that one's result when it covered all of its records
/// (group commit), so one fsync serves every caller that was waiting for it. Lock order:
/// `syncing`, then `state`. A rotation (a full segment, `cutSegment`) still fsyncs the old
/// segment under `state`, because replay needs it durable before the next one exists; that
/// is one fsync per segment, not one per flush.
public final class WAL: Sendable {
    public let directory: String
    public let options: WALOptions
    let fileSystem: any FileSystem
    let state: Locked<State>
    let syncing = Locked(())

    struct State {
        /// nil once closed.
        var writer: WALSegmentWriter?
        var lastFlush: ContinuousClock.Instant?
        /// Fsyncs by `sync()`/`flushIfDue` that have finished, numbered from 1.
        var syncsFinished = 0
        var lastSync: SyncAttempt?
        /// Whether an fsync runs outside the lock now; retired files stay open meanwhile.
        var syncInFlight = false
        /// Consumers' low-watermarks: the oldest segment each still needs.
        var watermarks: [String: Int] = [:]
        /// When truncation first kept each segment it would otherwise have removed.
        var keptSince: [Int: ContinuousClock.Instant] = [:]
        var retention = WALRetentionStats()

        func openWriter() throws(WALError) -> WALSegmentWriter {
            guard let writer else { throw WALError.closed }
            return writer
        }

        /// Closes retired segment handles unless an fsync may still be using one.
        func closeRetiredIfIdle() {
            if !syncInFlight { writer?.closeRetired() }
        }
    }

    /// One finished fsync by `sync()`: its number, the `logged` value it covered, and how it
    /// ended.
    struct SyncAttempt {
        let number: Int
        let through: UInt64
        let failure: FileSystemError?
    }

    private init(
        directory: String, fileSystem: any FileSystem, options: WALOptions, writer: sending WALSegmentWriter,
        keptSince: [Int: ContinuousClock.Instant]
    ) {
        self.directory = directory
        self.fileSystem = fileSystem
        self.options = options
        var initial = State(writer: writer)
        initial.keptSince = keptSince
        state = Locked(initial)
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
        // The directory's own entry must be durable, or every segment in it can vanish.
        try fileSystem.createDirectoryDurably(directory)
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
        // What the latest checkpoint superseded: left by a crash in `checkpoint`/`truncate`, or
        // kept by truncation for a consumer. No consumer has registered yet, so the newest of
        // them stay within the retention bounds, for one that resumes after the restart; the
        // next truncation applies the consumers' watermarks. Replay and checkpoints read only
        // what follows the checkpoint, so kept segments are never read twice.
        var keptSince: [Int: ContinuousClock.Instant] = [:]
        if let checkpoint = listing.checkpoints.last {
            let behind = listing.segments.filter { $0 <= checkpoint }
            var sizes: [Int: Int] = [:]
            for segment in behind { sizes[segment] = try fileSystem.size(of: directory + "/" + WALFileNames.segment(segment)) }
            let now = ContinuousClock.now
            let plan = WALRetentionPlan(
                candidates: behind, floor: behind.first, sizes: sizes, keptSince: [:], now: now, retention: options.retention)
            for segment in plan.removed { try fileSystem.remove(directory + "/" + WALFileNames.segment(segment)) }
            for segment in plan.kept { keptSince[segment] = now }
            for older in listing.checkpoints.dropLast() {
                try fileSystem.remove(directory + "/" + WALFileNames.checkpoint(older))
            }
        }

        let live = listing.liveSegments
        // Always a new segment, even after an empty last one: a power loss can empty a segment
        // whose records a tail reader had already read, and a reader's saved position must
        // never point into bytes written again. The cost is one empty file per restart, which
        // the next truncation removes.
        let next = live.last.map { $0 + 1 } ?? listing.checkpoints.last.map { $0 + 1 } ?? 0
        // Creating the segment syncs the directory, which also makes the removals durable.
        let writer = try WALSegmentWriter(
            fileSystem: fileSystem, directory: directory, index: next, segmentSize: options.segmentSize)
        let wal = WAL(directory: directory, fileSystem: fileSystem, options: options, writer: writer, keptSince: keptSince)
        return (wal, report)
    }

    /// Appends a series record (several, for a large batch). Log a series before any sample
    /// that refers to it. If it throws, a prefix of the batch's records may have been logged
    /// (never part of a record).
    public func log(series: [WALSeries]) throws {
        guard !series.isEmpty else { return }
        let frames = try WALRecordEncoder.frames(series: series)
        try append(frames)
    }

    /// Appends a samples record (several, for a large batch); on errors as `log(series:)`.
    public func log(samples: [WALSample]) throws {
        guard !samples.isEmpty else { return }
        try append(WALRecordEncoder.frames(samples: samples))
    }

    private func append(_ frames: [[UInt8]]) throws {
        try state.withLock { state in
            defer { state.closeRetiredIfIdle() }
            try state.openWriter().append(frames)
        }
    }

    /// Makes every record logged before the call durable. Logging goes on meanwhile; a sync
    /// already in progress is waited for, and is enough if it covered everything. After it
    /// throws, records logged before may or may not be durable (a failed fsync can have
    /// dropped dirty pages; retrying does not bring them back): treat them as lost.
    public func sync() throws {
        let (target, finished) = try state.withLock { state in (try state.openWriter().logged, state.syncsFinished) }
        try sync(through: target, finishedBefore: finished)
    }

    /// Syncs if records are waiting and the last flush by this method was at least
    /// `flushInterval` before `now`; returns whether it synced.
    @discardableResult
    public func flushIfDue(now: ContinuousClock.Instant) throws -> Bool {
        let due = try state.withLock { state -> (target: UInt64, finished: Int)? in
            let writer = try state.openWriter()
            guard writer.hasUnsyncedData else { return nil }
            if let last = state.lastFlush, now - last < options.flushInterval { return nil }
            return (writer.logged, state.syncsFinished)
        }
        guard let due else { return false }
        try sync(through: due.target, finishedBefore: due.finished)
        state.withLock { state in
            if state.lastFlush.map({ $0 < now }) ?? true { state.lastFlush = now }
        }
        return true
    }

    /// Makes the writer's records up to `target` durable. `finishedBefore` is the number of
    /// fsyncs finished when the caller's records were all logged: one finishing later that
    /// covered them decides the outcome, failure included, since a failed fsync may have
    /// dropped the very pages the caller waits for. (A failure that finished before the
    /// caller came is the previous caller's; this one tries again.)
    private func sync(through target: UInt64, finishedBefore: Int) throws {
        try syncing.withLock { _ in
            let pending = try state.withLock { state -> WALSegmentWriter.PendingSync? in
                let writer = try state.openWriter()
                if writer.isSynced(through: target) { return nil }
                if let last = state.lastSync, last.number > finishedBefore, last.through >= target, let failure = last.failure {
                    throw failure
                }
                guard let pending = try writer.prepareSync() else { return nil }
                state.syncInFlight = true
                return pending
            }
            guard let pending else { return }
            var failure: FileSystemError?
            do throws(FileSystemError) {
                try pending.file.sync()
            } catch {
                failure = error
            }
            state.withLock { state in
                state.syncInFlight = false
                state.syncsFinished += 1
                state.lastSync = SyncAttempt(number: state.syncsFinished, through: pending.through, failure: failure)
                if failure == nil { state.writer?.syncCompleted(through: pending.through) }
                state.writer?.closeRetired()
            }
            if let failure { throw failure }
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
            defer { state.closeRetiredIfIdle() }
            let writer = try state.openWriter()
            if writer.size > 0 { try writer.rotate() }
            return writer.index
        }
    }

    /// Syncs and closes the current segment; later calls throw `WALError.closed`. Waits for
    /// a sync in progress, whose fsync may be using the file.
    public func close() throws {
        try syncing.withLock { _ in
            try state.withLock { state in
                let writer = state.writer
                state.writer = nil
                try writer?.close()
            }
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
}
