
/// The embedded time-series store: a WAL and an in-memory head for recent samples, immutable
/// blocks for older ones, one query interface over both.
///
/// Every method may block on disk I/O: call them from a dedicated thread, never from the
/// Swift concurrency pool. One process writes a data directory at a time (a lock file
/// enforces it); read-only opens replay the WAL into memory without changing anything, so
/// they work beside a running agent.
public final class Store: Sendable {
    public let directory: String
    public let options: StoreOptions
    public let head: Head
    let fileSystem: any FileSystem
    let wal: WAL?
    private let lock: (any FileLock)?
    let events: @Sendable (StoreEvent) -> Void
    let state: Locked<State>
    /// Held from the head's append to the WAL's log of it, so that appends from several
    /// threads reach the WAL in the order the head saw them: a new series' record always
    /// precedes the samples that refer to it, which replay needs. A cut takes it briefly too.
    let appendOrder = Locked(UnloggedRecords())

    struct State {
        var blocks: [BlockReader]
        var counters = StoreCounters()
        /// The end of the newest cut, set before its block is written: samples older than
        /// this belong to a block (written or being written), not to the head.
        var cutFloor: Int64 = .min

        /// Appends before this time are refused as too old.
        var appendFloor: Int64 { max(blocks.last.map(\.meta.maxTime) ?? .min, cutFloor) }
    }

    private init(
        directory: String, options: StoreOptions, fileSystem: any FileSystem, head: Head, wal: WAL?,
        lock: (any FileLock)?, blocks: [BlockReader], counters: StoreCounters, events: @escaping @Sendable (StoreEvent) -> Void
    ) {
        self.directory = directory
        self.options = options
        self.fileSystem = fileSystem
        self.head = head
        self.wal = wal
        self.lock = lock
        self.events = events
        self.state = Locked(State(blocks: blocks, counters: counters))
    }

    /// A read-only open finds a data directory or says what it found instead: `--data-dir`
    /// pointing at a file, at /proc or at a typo must not read as an empty store.
    private static func checkIsDataDirectory(_ directory: String, fileSystem: any FileSystem) throws(StoreError) {
        guard fileSystem.exists(directory) else { throw .notADataDirectory(directory, reason: "no such directory") }
        guard fileSystem.isDirectory(directory) else { throw .notADataDirectory(directory, reason: "not a directory") }
        let entries: [String]
        do {
            entries = try fileSystem.list(directory)
        } catch {
            throw .io(error)
        }
        let hasBlocks = entries.contains { BlockID($0) != nil }
        guard hasBlocks || entries.contains(StoreFileNames.wal) || entries.contains(StoreFileNames.lock) else {
            throw .notADataDirectory(directory, reason: "no WAL, lock or blocks in it: not a scalewatch data directory")
        }
    }

    public static func open(
        directory: String, options: StoreOptions = StoreOptions(), fileSystem: any FileSystem = PosixFileSystem(),
        events: @escaping @Sendable (StoreEvent) -> Void = { _ in }
    ) throws(StoreError) -> Store {
        var lock: (any FileLock)?
        var counters = StoreCounters()
        do {
            if !options.readOnly {
                // A new data directory's entry must be durable (its parents' too, if they
                // are new), or a power loss can take it with every WAL segment synced inside.
                try fileSystem.createDirectoryDurably(directory)
                do {
                    lock = try fileSystem.lock(directory + "/" + StoreFileNames.lock)
                } catch {
                    if error.errno == EWOULDBLOCK_VALUE { throw StoreError.locked(directory: directory) }
                    throw StoreError.io(error)
                }
                for removed in try BlockDirectory.removeIncompleteBlocks(in: directory, fileSystem: fileSystem) {
                    events(.incompleteBlockRemoved(removed))
                }
            } else {
                try checkIsDataDirectory(directory, fileSystem: fileSystem)
            }
        } catch let error as StoreError {
            throw error
        } catch let error as FileSystemError {
            throw .io(error)
        } catch {
            throw .wal("\(error)", cause: error)
        }

        var blocks = try openBlocks(directory, options: options, fileSystem: fileSystem, counters: &counters, events: events)
        // A compaction interrupted after its merged block became durable left its sources
        // behind: the merged block holds their data, so they go now.
        let superseded = compactedSources(of: blocks)
        if !superseded.isEmpty && !options.readOnly {
            for block in superseded {
                do {
                    try fileSystem.remove(block.directory)
                } catch {
                    throw .io(error)
                }
                events(.incompleteBlockRemoved(block.directory + " (already compacted)"))
            }
            let ids = Set(superseded.map(\.meta.id))
            blocks.removeAll { ids.contains($0.meta.id) }
        } else if !superseded.isEmpty {
            let ids = Set(superseded.map(\.meta.id))
            blocks.removeAll { ids.contains($0.meta.id) }
        }
        let head = Head(options: options.head)
        // Samples before the newest block's end are in that block already: a crash between
        // writing a block and truncating the WAL must not put them in twice.
        let blocksEnd = blocks.map(\.meta.maxTime).max() ?? .min
        var replayedSamples = 0
        let replay: (WALRecord) throws -> Void = { record in
            switch record {
            case .series(let series):
                for entry in series { head.restoreSeries(entry.ref, entry.labels) }
            case .samples(let samples):
                let restored = head.restoreSamples(
                    samples.filter { $0.sample.timestamp >= blocksEnd }.map { ($0.ref, $0.sample) })
                replayedSamples += restored.restored
            case .unknown:
                break
            }
        }
        let walDirectory = directory + "/" + StoreFileNames.wal
        var wal: WAL?
        do {
            let report: WALReplayReport
            if options.readOnly {
                report = fileSystem.isDirectory(walDirectory)
                    ? try WALReader(directory: walDirectory, fileSystem: fileSystem).replay(replay) : WALReplayReport()
            } else {
                let opened = try WAL.open(directory: walDirectory, fileSystem: fileSystem, options: options.wal, replay: replay)
                wal = opened.wal
                report = opened.report
            }
            events(.walReplayed(records: report.records, notes: report.notes))
            for corruption in report.corruptions {
                counters.corruptions += 1
                events(.walCorruption(corruption.description))
                // Repair moves the damaged bytes aside, so the same damage is not reported at
                // every start; what followed it was not replayed and is lost either way.
                try wal?.repair(corruption, quarantineDirectory: directory + "/" + StoreFileNames.quarantine)
            }
        } catch {
            throw .wal("\(error)", cause: error)
        }
        counters.replayedSamples = replayedSamples
        return Store(
            directory: directory, options: options, fileSystem: fileSystem, head: head, wal: wal, lock: lock, blocks: blocks,
            counters: counters, events: events)
    }

    /// Opens every block; a damaged one is moved to `quarantine/` (when writable) and
    /// reported, and everything else stays readable.
    private static func openBlocks(
        _ directory: String, options: StoreOptions, fileSystem: any FileSystem, counters: inout StoreCounters,
        events: @Sendable (StoreEvent) -> Void
    ) throws(StoreError) -> [BlockReader] {
        let ids: [BlockID]
        do {
            ids = try BlockDirectory.blockIDs(in: directory, fileSystem: fileSystem)
        } catch {
            throw .io(error)
        }
        var blocks: [BlockReader] = []
        for id in ids {
            let path = directory + "/" + id.description
            do {
                blocks.append(try BlockReader(fileSystem: fileSystem, directory: path))
            } catch {
                switch error {
                case .corrupt(let corruption):
                    counters.corruptions += 1
                    if !options.readOnly { try quarantine(path, id: id.description, directory, fileSystem) }
                    events(.blockQuarantined(block: path, reason: corruption.description))
                case .unsupportedVersion:
                    // Written by a newer scalewatch: not damaged, just not ours to read.
                    events(.blockQuarantined(block: path, reason: "\(error) (left in place)"))
                case .io(let failure):
                    throw .io(failure)
                }
            }
        }
        return blocks.sorted { $0.meta.minTime < $1.meta.minTime }
    }

    static func quarantine(_ path: String, id: String, _ directory: String, _ fileSystem: any FileSystem) throws(StoreError) {
        let quarantine = directory + "/" + StoreFileNames.quarantine
        do {
            try fileSystem.createDirectory(quarantine)
            try fileSystem.rename(path, to: quarantine + "/" + id)
            try fileSystem.syncDirectory(directory)
            try fileSystem.syncDirectory(quarantine)
        } catch {
            throw .io(error)
        }
    }

    /// Syncs the WAL and releases the lock. The store is not used afterwards.
    public func close() {
        // A last chance for what a full disk kept out of the WAL.
        if wal != nil { try? sync() }
        try? wal?.close()
        lock?.release()
    }

    public var blocks: [BlockReader] { state.withLock { $0.blocks } }
}

#if canImport(Glibc)
import Glibc
let EWOULDBLOCK_VALUE = EWOULDBLOCK
#elseif canImport(Darwin)
import Darwin
let EWOULDBLOCK_VALUE = EWOULDBLOCK
#endif
