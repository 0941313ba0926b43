import AlertEngine
import MetricStore

/// The notifier's durable state: a snapshot (`NotificationStateFile`, state.json) and the
/// journal of the saves since (`NotificationJournal`, state.journal). A save appends what
/// changed since the last one as one journal line and fsyncs it; when the journal has grown
/// larger than the snapshot, the state is written whole as a new snapshot and the journal
/// restarts (compaction), so the bytes written stay within a small multiple of the changes
/// and a load replays at most about a snapshot's worth of lines; and once a backlog in the
/// snapshot has drained to an eighth, so that it does not stay on disk.
///
/// Crash safety: a snapshot is replaced atomically (AtomicFile); a journal line is applied
/// whole or not at all (its checksum); a compaction writes the snapshot before it restarts the
/// journal, and replaying the old journal over the new snapshot changes nothing. So a crash at
/// any point leaves the state of the last save that returned, or that of the one in progress.
///
/// Saves come from one thread at a time (the notifier's I/O thread); the lock only makes the
/// type Sendable.
final class NotificationOutbox: Sendable {
    private let snapshot: NotificationStateFile
    private let fileSystem: any FileSystem
    let journalPath: String

    /// What the files hold, as far as this instance wrote or read them.
    private struct Persisted {
        var log: [String: NotificationLog.Entry]
        var order: [String]
        var retry: [String: Retry]
        var snapshotBytes: Int
        /// Notifications in the snapshot.
        var snapshotItems: Int
        var journalBytes: Int
        /// The journal cannot take an append (absent, torn header or tail, a failed write):
        /// the next save compacts.
        var mustCompact: Bool
    }

    private struct Retry: Equatable {
        var attempts: Int
        var nextAttemptAt: Int64
    }

    private let persisted = Locked<Persisted?>(nil)

    /// A snapshot larger than this is rewritten once the outbox holds an eighth of what it
    /// holds.
    static let drainedSnapshotLimit = 64 << 10

    init(directory: String, fileSystem: any FileSystem = PosixFileSystem(fileMode: 0o640, directoryMode: 0o750)) {
        snapshot = NotificationStateFile(directory: directory, fileSystem: fileSystem)
        journalPath = directory + "/" + NotificationJournal.relativePath
        self.fileSystem = fileSystem
    }

    /// The snapshot's path, for messages.
    var path: String { snapshot.path }

    /// The saved state (empty on a first run) and how many bytes of a torn journal tail were
    /// discarded.
    func load() throws -> (log: NotificationLog, queue: [QueuedNotification], discardedBytes: Int) {
        let (log, queue) = try snapshot.load()
        let snapshotBytes = fileSystem.exists(snapshot.path) ? try fileSystem.size(of: snapshot.path) : 0
        var replayed = NotificationJournal.ReplayedState(log: log, queue: queue)
        var contents = NotificationJournal.Contents()
        if fileSystem.exists(journalPath) {
            contents = try NotificationJournal.parse(try fileSystem.read(journalPath), path: journalPath)
            for batch in contents.batches {
                try NotificationJournal.apply(batch, to: &replayed, path: journalPath)
            }
        }
        let result: [QueuedNotification] = replayed.queue
        persisted.withLock {
            $0 = Persisted(
                log: replayed.log.entries, order: result.map(\.id),
                retry: Dictionary(result.map { ($0.id, Retry(attempts: $0.attempts, nextAttemptAt: $0.nextAttemptAt)) }, uniquingKeysWith: { $1 }),
                snapshotBytes: snapshotBytes, snapshotItems: queue.count, journalBytes: contents.validLength,
                mustCompact: !contents.hasHeader || contents.discardedBytes > 0)
        }
        return (replayed.log, result, contents.discardedBytes)
    }

    /// Makes this state durable: appends what changed since the last save (or load), or
    /// compacts when the journal has outgrown the snapshot or cannot take an append.
    func save(log: NotificationLog, queue: [QueuedNotification]) throws(FileSystemError) {
        guard let current = persisted.withLock({ $0 }), !current.mustCompact else {
            try compact(log: log, queue: queue)
            return
        }
        let batch = Self.changes(from: current, to: log, queue: queue)
        guard !batch.isEmpty else { return }
        let line = NotificationJournal.line(batch)
        do throws(FileSystemError) {
            let file = try fileSystem.openForAppend(journalPath)
            do throws(FileSystemError) {
                try file.write(line)
                try file.sync()
            } catch {
                try? file.close()
                throw error
            }
            try file.close()
        } catch {
            // Part of the line may be in the file: appending after it would hide every later
            // line from a replay.
            persisted.withLock { $0?.mustCompact = true }
            throw error
        }
        let journalBytes = current.journalBytes + line.count
        remember(
            log: log, queue: queue, snapshotBytes: current.snapshotBytes, snapshotItems: current.snapshotItems,
            journalBytes: journalBytes)
        // Also once a backlog has drained: the snapshot still holds it, and rewriting it now
        // costs only what is left.
        if journalBytes > max(current.snapshotBytes, NotificationJournal.header.count + 4096)
            || (current.snapshotBytes > Self.drainedSnapshotLimit && queue.count * 8 <= current.snapshotItems)
        {
            try compact(log: log, queue: queue)
        }
    }

    /// Writes the state whole as the snapshot and restarts the journal with its header.
    func compact(log: NotificationLog, queue: [QueuedNotification]) throws(FileSystemError) {
        persisted.withLock { $0?.mustCompact = true }
        let bytes = NotificationStateFile.encode(log: log, queue: queue)
        try snapshot.file.write(bytes)
        let file = try fileSystem.create(journalPath)
        do throws(FileSystemError) {
            try file.write(NotificationJournal.header)
            try file.sync()
        } catch {
            try? file.close()
            throw error
        }
        try file.close()
        try fileSystem.syncDirectory(FilePath.parent(of: journalPath))
        remember(
            log: log, queue: queue, snapshotBytes: bytes.count, snapshotItems: queue.count,
            journalBytes: NotificationJournal.header.count)
    }

    private func remember(
        log: NotificationLog, queue: [QueuedNotification], snapshotBytes: Int, snapshotItems: Int, journalBytes: Int
    ) {
        let state = Persisted(
            log: log.entries, order: queue.map(\.id),
            retry: Dictionary(queue.map { ($0.id, Retry(attempts: $0.attempts, nextAttemptAt: $0.nextAttemptAt)) }, uniquingKeysWith: { $1 }),
            snapshotBytes: snapshotBytes, snapshotItems: snapshotItems, journalBytes: journalBytes, mustCompact: false)
        persisted.withLock { $0 = state }
    }

    /// One batch taking the persisted state to this one. The notifier's outbox only appends
    /// at its end and removes, so replaying `done` then `queue` keeps its order.
    private static func changes(from persisted: Persisted, to log: NotificationLog, queue: [QueuedNotification]) -> NotificationJournal.Batch {
        var batch = NotificationJournal.Batch()
        let ids = Set(queue.map(\.id))
        batch.done = persisted.order.filter { !ids.contains($0) }
        for item in queue {
            guard let retry = persisted.retry[item.id] else {
                batch.queue.append(NotificationStateFile.Item(item))
                continue
            }
            if retry != Retry(attempts: item.attempts, nextAttemptAt: item.nextAttemptAt) {
                batch.attempts.append(.init(id: item.id, attempts: item.attempts, nextAttemptAt: item.nextAttemptAt))
            }
        }
        for (key, entry) in log.entries.sorted(by: { $0.key < $1.key }) where persisted.log[key] != entry {
            batch.log.append(NotificationStateFile.LogEntry(key: key, entry))
        }
        batch.unlog = persisted.log.keys.filter { log.entries[$0] == nil }.sorted()
        return batch
    }
}
