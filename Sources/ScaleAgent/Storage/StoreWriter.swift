import Logging
import MetricStore
import NIOConcurrencyHelpers
import NIOPosix

/// Feeds scheduled collections into the embedded store. The store blocks on disk I/O
/// (fsync, block writes), so every call runs on this writer's own thread, never on the
/// Swift concurrency pool. Series that disappear from one collection to the next get a
/// stale marker, as Prometheus writes for a target's vanished series, so that queries stop
/// returning them at once instead of five minutes later.
public final class StoreWriter: Sendable {
    public let store: Store
    private let thread: NIOThreadPool
    private let logger: Logger
    private let previousSeries = NIOLockedValueBox<Set<Labels>>([])
    /// Head statistics walk every chunk: computed after each append on the writer's thread,
    /// not on every scrape.
    private let headStats = NIOLockedValueBox<Head.Stats?>(nil)
    /// Replaced on config reload; applied at most every `retentionInterval`.
    private let retention: NIOLockedValueBox<(policy: RetentionPolicy, lastApplied: ContinuousClock.Instant?)>
    private static let retentionInterval: Duration = .seconds(300)

    private init(store: Store, thread: NIOThreadPool, logger: Logger, retention: RetentionPolicy) {
        self.store = store
        self.thread = thread
        self.logger = logger
        self.retention = NIOLockedValueBox((retention, nil))
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
        retention.withLockedValue { $0.policy = Self.retentionPolicy(settings) }
    }

    public static func open(directory: String, settings: StorageSettings, logger: Logger) async throws -> StoreWriter {
        let options = storeOptions(settings)
        let thread = NIOThreadPool(numberOfThreads: 1)
        thread.start()
        do {
            let store = try await thread.runIfActive {
                try Store.open(directory: directory, options: options) { event in
                    switch event {
                    case .walCorruption, .blockQuarantined, .walWriteFailed:
                        logger.error("store: \(event)")
                    default:
                        logger.info("store: \(event)")
                    }
                }
            }
            return StoreWriter(store: store, thread: thread, logger: logger, retention: retentionPolicy(settings))
        } catch {
            try? await thread.shutdownGracefully()
            throw error
        }
    }

    /// Appends one collection at its timestamp, with stale markers for vanished series, then
    /// does the store's periodic work (WAL fsync when due, block cuts when due).
    public func append(_ snapshot: MetricsSnapshot) async {
        let timestamp = snapshot.timestampMilliseconds
        var batch: [(labels: Labels, sample: Sample)] = []
        var current = Set<Labels>()
        for family in snapshot.families {
            for sample in family.samples {
                let labels = sample.labels.adding(Label.metricName, family.name)
                current.insert(labels)
                batch.append((labels, Sample(timestamp: timestamp, value: sample.value)))
            }
        }
        let vanished = previousSeries.withLockedValue { previous in
            defer { previous = current }
            return previous.subtracting(current)
        }
        for labels in vanished.sorted() {
            batch.append((labels, Sample(timestamp: timestamp, value: StaleMarker.value)))
        }
        let store = self.store
        let collected = batch
        let headStats = self.headStats
        let now = ContinuousClock.now
        let policy: RetentionPolicy? = retention.withLockedValue { retention in
            if let last = retention.lastApplied, now - last < Self.retentionInterval { return nil }
            retention.lastApplied = now
            return retention.policy
        }
        do {
            try await thread.runIfActive {
                store.append(collected)
                store.flushIfDue()
                try store.cutBlocksIfDue()
                try store.compactIfDue()
                if let policy { try store.applyRetention(policy, now: timestamp) }
                headStats.withLockedValue { $0 = store.head.stats() }
            }
        } catch {
            // The samples are in the head and the WAL; the cut is retried after the next
            // collection.
            logger.error("store maintenance failed", metadata: ["error": "\(error)"])
        }
    }

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
        metrics.counter("scalewatch_store_blocks_written_total", "Blocks cut from the head.", Double(counters.blocksWritten))
        if let head = headStats.withLockedValue({ $0 }) {
            metrics.gauge("scalewatch_store_head_series", "Series in the in-memory head.", Double(head.series))
            metrics.gauge("scalewatch_store_head_chunks_bytes", "Bytes of compressed chunks in the head.", Double(head.bytes))
        }
        metrics.gauge("scalewatch_store_blocks", "Blocks on disk.", Double(store.blocks.count))
    }

    /// Syncs everything and closes the store.
    public func close() async {
        let store = self.store
        _ = try? await thread.runIfActive {
            try? store.sync()
            store.close()
        }
        try? await thread.shutdownGracefully()
    }
}
