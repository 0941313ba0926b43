import AlertEngine
import Logging
import MetricStore
import NIOConcurrencyHelpers
import NIOPosix
import Synchronization

/// The store's one writer. Every append — scheduled collections, recorded series and
/// `ALERTS` from rules — runs on its own thread, in the order submitted; the store's
/// maintenance (WAL fsync, block cuts, compaction, retention) runs on two background threads
/// on its own timer. So a collection never waits for the disk, and a long compaction or a
/// slow fsync never delays an append or skips a collection slot.
///
/// Series that disappear from one collection to the next get a stale marker, as Prometheus
/// writes for a target's vanished series, so that queries stop returning them at once
/// instead of five minutes later.
public final class StoreWriter: Sendable {
    public let store: Store
    /// One thread: appends, in order.
    private let writer: NIOThreadPool
    /// Two threads, so that a long compaction never holds up the WAL's fsync.
    private let background: NIOThreadPool
    private let logger: Logger
    /// The previous collection's series, in order, and their refs: touched only on the writer
    /// thread.
    private let collected = NIOLockedValueBox(CollectedSeries())
    /// Collections waiting for the writer thread; past the bound a collection is dropped
    /// (it is still served on `/metrics`) rather than memory growing behind a stuck disk.
    private let queuedCollections = Atomic<Int>(0)
    private let droppedCollections = Atomic<Int>(0)
    static let maxQueuedCollections = 16
    /// Head statistics walk every chunk: computed by maintenance, not on every scrape.
    private let headStats = NIOLockedValueBox<Head.Stats?>(nil)
    private let retention: NIOLockedValueBox<RetentionPolicy>
    private let schedule: MaintenanceSchedule

    private init(store: Store, writer: NIOThreadPool, background: NIOThreadPool, logger: Logger, retention: RetentionPolicy, schedule: MaintenanceSchedule) {
        self.store = store
        self.writer = writer
        self.background = background
        self.logger = logger
        self.retention = NIOLockedValueBox(retention)
        self.schedule = schedule
        // So that every scrape, the first included, reports the same families.
        headStats.withLockedValue { $0 = store.head.stats() }
    }

    /// The agent's storage settings as the store's options and retention policy.
    public static func storeOptions(_ settings: StorageSettings) -> StoreOptions {
        var options = StoreOptions()
        options.wal = WALOptions(flushInterval: settings.walFlushInterval)
        return options
    }

    public static func retentionPolicy(_ settings: StorageSettings) -> RetentionPolicy {
        RetentionPolicy(
            time: settings.retentionTime.milliseconds,
            size: settings.retentionSize, fileSystemFraction: settings.retentionFileSystemFraction)
    }

    public func updateRetention(_ settings: StorageSettings) {
        retention.withLockedValue { $0 = Self.retentionPolicy(settings) }
    }

    public static func open(directory: String, settings: StorageSettings, logger: Logger) async throws -> StoreWriter {
        try await open(
            directory: directory, options: storeOptions(settings), retention: retentionPolicy(settings),
            schedule: MaintenanceSchedule(flush: settings.walFlushInterval), logger: logger)
    }

    static func open(
        directory: String, options: StoreOptions, retention: RetentionPolicy, schedule: MaintenanceSchedule,
        fileSystem: any FileSystem = PosixFileSystem(), logger: Logger
    ) async throws -> StoreWriter {
        let writer = NIOThreadPool(numberOfThreads: 1)
        writer.start()
        let background = NIOThreadPool(numberOfThreads: 2)
        background.start()
        do {
            let store = try await writer.runIfActive {
                try Store.open(directory: directory, options: options, fileSystem: fileSystem) { event in
                    switch event {
                    case .walCorruption, .blockQuarantined, .walWriteFailed:
                        logger.error("store: \(event)")
                    case .walRecovered:
                        logger.notice("store: \(event)")
                    default:
                        logger.info("store: \(event)")
                    }
                }
            }
            return StoreWriter(
                store: store, writer: writer, background: background, logger: logger, retention: retention, schedule: schedule)
        } catch {
            try? await writer.shutdownGracefully()
            try? await background.shutdownGracefully()
            throw error
        }
    }

    // MARK: Appending

    /// Queues one collection for the writer thread and returns at once: its samples at the
    /// collection's timestamp, and stale markers for the series the previous one had.
    public func append(_ snapshot: MetricsSnapshot) {
        guard queuedCollections.add(1, ordering: .relaxed).newValue <= Self.maxQueuedCollections else {
            queuedCollections.subtract(1, ordering: .relaxed)
            if droppedCollections.add(1, ordering: .relaxed).newValue == 1 {
                logger.error("the store's writer is stuck; collections are not stored until it catches up")
            }
            return
        }
        writer.submit { [self] state in
            defer { queuedCollections.subtract(1, ordering: .relaxed) }
            guard case .active = state else { return }
            collected.withLockedValue { collected in
                let batch = collected.batch(for: snapshot)
                store.append(batch, cache: &collected.refs)
            }
        }
    }

    /// Waits until every append submitted before has been applied, for tests and shutdown.
    func drain() async {
        _ = try? await writer.runIfActive {}
    }

    // MARK: Maintenance

    /// Runs the store's maintenance until cancelled: the WAL's fsync every flush interval
    /// (the bound on what a power loss can take), and block cuts, compaction, retention and
    /// head statistics on their own, longer period. Neither waits for the other.
    public func runMaintenance() async {
        await withDiscardingTaskGroup { group in
            group.addTask { await self.repeatOnBackground(every: self.schedule.flush) { $0.store.flush() } }
            group.addTask { await self.repeatOnBackground(every: self.schedule.blocks) { $0.maintainBlocks() } }
        }
    }

    private func repeatOnBackground(every period: Duration, _ work: @escaping @Sendable (StoreWriter) -> Void) async {
        let clock = ContinuousClock()
        var next = clock.now
        while !Task.isCancelled {
            _ = try? await background.runIfActive { work(self) }
            next += period
            if next < clock.now { next = clock.now + period }
            try? await Task.sleep(until: next, clock: clock)
        }
    }

    private func maintainBlocks() {
        let now = UnixTime.nowMilliseconds()
        let retentionDue = schedule.retentionDue(at: ContinuousClock.now)
        do {
            try store.cutBlocksIfDue()
            try store.compactIfDue()
            if retentionDue { try store.applyRetention(retention.withLockedValue { $0 }, now: now) }
        } catch where error.isDiskFull {
            // Nothing is damaged: the samples stay in the head and the WAL, and the cut is
            // retried until there is room.
            logger.warning("the disk is full; blocks are written again once there is room", metadata: ["error": "\(error)"])
        } catch {
            // The samples stay in the head and the WAL; the cut is retried next time.
            logger.error("store maintenance failed", metadata: ["error": "\(error)"])
        }
        let stats = store.head.stats()
        headStats.withLockedValue { $0 = stats }
    }

    // MARK: Reporting and closing

    /// `scalewatch_store_*` metrics for the agent's own health.
    public func report(into metrics: inout MetricsBuilder) {
        let counters = store.counters
        metrics.counter("scalewatch_store_appended_samples_total", "Samples written to the store.", Double(counters.appendedSamples))
        metrics.counter(
            "scalewatch_store_out_of_order_samples_total", "Samples refused because their series already had a later one.",
            Double(counters.outOfOrderSamples + counters.tooOldSamples))
        metrics.counter(
            "scalewatch_store_corruptions_total", "Damaged WAL records and blocks found and moved to quarantine.",
            Double(counters.corruptions))
        metrics.counter(
            "scalewatch_store_wal_write_errors_total", "WAL writes or fsyncs that failed (samples kept in memory).",
            Double(counters.walWriteErrors))
        metrics.gauge(
            "scalewatch_store_samples_not_durable",
            "Samples in memory that the WAL refused (a full disk) and that a stop now would lose; logged when it takes writes again.",
            Double(counters.samplesNotDurable))
        metrics.counter(
            "scalewatch_store_wal_dropped_samples_total",
            "Samples no longer waiting for the WAL because too many did (they stay in memory until a block is cut).",
            Double(counters.samplesDroppedFromWAL))
        metrics.counter("scalewatch_store_blocks_written_total", "Blocks cut from the head.", Double(counters.blocksWritten))
        metrics.counter(
            "scalewatch_store_dropped_collections_total", "Collections not stored because the store's writer was behind.",
            Double(droppedCollections.load(ordering: .relaxed)))
        if let head = headStats.withLockedValue({ $0 }) {
            metrics.gauge("scalewatch_store_head_series", "Series in the in-memory head.", Double(head.series))
            metrics.gauge("scalewatch_store_head_chunks_bytes", "Bytes of compressed chunks in the head.", Double(head.bytes))
        }
        metrics.gauge("scalewatch_store_blocks", "Blocks on disk.", Double(store.blocks.count))
    }

    /// Applies the appends already queued, waits for maintenance in progress, then syncs
    /// and closes the store. Cancel `runMaintenance` first.
    public func close() async {
        try? await background.shutdownGracefully()
        let store = self.store
        _ = try? await writer.runIfActive {
            try? store.sync()
            store.close()
        }
        try? await writer.shutdownGracefully()
    }
}

/// Rules write through the writer thread, after the collections queued before them; a rule
/// waits for its write, so that the next rule of its group reads it. Rules run on the reader
/// pool, never on the writer thread itself, where the wait could not end.
extension StoreWriter: RuleOutputSink {
    public func write(_ samples: [(labels: Labels, sample: Sample)]) {
        let done = ConditionLock(value: false)
        let store = self.store
        writer.submit { state in
            if case .active = state { store.append(samples) }
            done.lock()
            done.unlock(withValue: true)
        }
        done.lock(whenValue: true)
        done.unlock()
    }
}

/// How often the store's maintenance runs.
struct MaintenanceSchedule: Sendable {
    /// The WAL's fsync: its flush interval.
    var flush: Duration
    /// Cuts and compaction: the head is checked this often.
    var blocks: Duration = .seconds(10)
    /// Retention walks every block and the file system's capacity: less often.
    var retention: Duration = .seconds(300)
    private let lastRetention = NIOLockedValueBox<ContinuousClock.Instant?>(nil)

    init(flush: Duration, blocks: Duration = .seconds(10), retention: Duration = .seconds(300)) {
        self.flush = flush
        self.blocks = blocks
        self.retention = retention
    }

    func retentionDue(at now: ContinuousClock.Instant) -> Bool {
        lastRetention.withLockedValue { last in
            if let last, now - last < retention { return false }
            last = now
            return true
        }
    }
}
