import Logging
import MetricStore
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix

/// Runs every collector on dedicated threads with a deadline and reports each one's success and
/// duration as metrics. A collector that throws, overruns its deadline or is still stuck in a
/// previous run fails alone: the others, the scrape and the daemon carry on.
public final class CollectorRunner: Sendable {
    public let collectors: [any Collector]
    private let timeout: Duration
    private let threads: NIOThreadPool
    private let workerCount: Int
    /// Workers per collection: the pool's other threads are spares for stuck collectors.
    private let drainers: Int
    private let logger: Logger
    /// Collectors whose last call has not returned yet. One stuck call per collector at most:
    /// a collector still running is skipped rather than piling up blocked threads.
    private let running = NIOLockedValueBox<Set<String>>([])
    /// `collector="<name>"` per collector, made once rather than twice per collection.
    private let collectorLabels: [Labels]
    /// Collector indices by name: the order `/metrics` shows them in, so that rendering finds
    /// the two per-collector families sorted already.
    private let byName: [Int]
    private let deadlines: RoundDeadlines

    public init(collectors: [any Collector], timeout: Duration, logger: Logger) {
        self.collectors = collectors
        self.timeout = timeout
        self.deadlines = RoundDeadlines(timeout: timeout)
        self.logger = logger
        // As many threads as cores, plus spares: a collector stuck in a system call keeps its
        // thread (and is skipped until it returns), and the others still find threads. A round
        // wakes only as many as there are cores (`drainers`); more would only contend for them.
        self.collectorLabels = collectors.map { Labels(["collector": $0.name]) }
        self.byName = collectors.indices.sorted { collectors[$0].name < collectors[$1].name }
        self.workerCount = min(max(1, collectors.count), System.coreCount + 2)
        self.drainers = max(1, System.coreCount)
        self.threads = NIOThreadPool(numberOfThreads: workerCount)
        self.threads.start()
    }

    /// Stops the worker threads once the collectors running now have returned. A collector
    /// stuck in a system call cannot be interrupted: after `timeout` its thread is left to
    /// the process's exit, and the stuck collectors are returned by name for the log.
    public func shutdown(within timeout: Duration) async -> [String] {
        let deadline = ContinuousClock.now + timeout
        while !running.withLockedValue({ $0.isEmpty }) {
            guard ContinuousClock.now < deadline, !Task.isCancelled else { return running.withLockedValue { $0.sorted() } }
            try? await Task.sleep(for: .milliseconds(20))
        }
        try? await threads.shutdownGracefully()
        return []
    }

    /// Runs all collectors concurrently; returns their families followed by
    /// `scalewatch_collector_success` and `scalewatch_collector_duration_seconds`.
    public func collectAll() async -> [MetricFamily] {
        var metrics = MetricsBuilder()
        await collectAll(into: &metrics)
        return metrics.build()
    }

    /// `collectAll()` into a builder the caller adds its own families to, without copying
    /// every family from one builder into another.
    public func collectAll(into metrics: inout MetricsBuilder) async {
        var skipped = Set<Int>()
        var runnable: [Int] = []
        for (index, collector) in collectors.enumerated() {
            // One stuck call per collector at most: one still running is skipped.
            if running.withLockedValue({ $0.insert(collector.name).inserted }) {
                runnable.append(index)
            } else {
                skipped.insert(index)
            }
        }
        let round = CollectionRound(count: collectors.count, queue: runnable)
        deadlines.watch(round)
        for index in skipped { round.complete(index, with: .failure(CollectorSkipped())) }
        // A few workers drain the round's queue, rather than one work item per collector: each
        // wake-up of a pool thread costs more than the smaller collectors themselves. A worker
        // stuck in one collector leaves the rest of the queue to the others, and the pool's
        // spare threads to the next rounds.
        let collectors = self.collectors
        let running = self.running
        for _ in 0..<min(runnable.count, drainers) {
            threads.submit { state in
                while let index = round.next() {
                    let collector = collectors[index]
                    let started = ContinuousClock.now
                    let result: CollectionRound.Slot
                    if case .active = state {
                        result = Result {
                            var metrics = MetricsBuilder()
                            try collector.collect(into: &metrics)
                            return metrics.build()
                        }
                    } else {
                        result = .failure(CollectorTimeout(kind: .shuttingDown))
                    }
                    let seconds = (ContinuousClock.now - started).seconds
                    // Free the collector before reporting, so the next round never sees it busy.
                    running.withLockedValue { _ = $0.remove(collector.name) }
                    round.complete(index, with: result, seconds: seconds)
                }
            }
        }
        let slots = await round.wait()
        deadlines.finished(round)
        // Collectors still queued at the deadline, behind stuck ones, are not started late:
        // the next round runs them.
        for index in round.closeQueue() {
            _ = running.withLockedValue { $0.remove(collectors[index].name) }
        }
        PseudoFileCache.shared.endRound()

        let seconds = round.durations
        var failures: [(name: String, message: String)] = []
        for (index, collector) in collectors.enumerated() {
            switch slots[index] {
            case .success(let families)?:
                let conflicts = metrics.appendChecked(contentsOf: families)
                if !conflicts.isEmpty {
                    failures.append((collector.name, "left out, already reported with another type: \(conflicts.joined(separator: ", "))"))
                }
            case .failure(let error)?:
                failures.append((collector.name, String(describing: error)))
            case nil:
                failures.append((collector.name, CollectorTimeout(kind: .deadline(timeout)).description))
            }
        }
        let failed = Set(failures.map(\.name))
        for index in byName {
            metrics.add(
                "scalewatch_collector_success", "Whether the collector's last run succeeded (1) or failed (0).", .gauge,
                failed.contains(collectors[index].name) ? 0 : 1, labels: collectorLabels[index])
        }
        for index in byName {
            metrics.add(
                "scalewatch_collector_duration_seconds", "How long the collector's last run took.", .gauge,
                skipped.contains(index) ? 0 : slots[index] == nil ? timeout.seconds : seconds[index],
                labels: collectorLabels[index])
        }
        for failure in failures {
            logger.warning("collector failed", metadata: ["collector": "\(failure.name)", "error": "\(failure.message)"])
        }
    }
}

struct CollectorSkipped: Error, CustomStringConvertible {
    var description: String { "previous run has not returned yet; skipped" }
}

struct CollectorTimeout: Error, CustomStringConvertible {
    enum Kind {
        case deadline(Duration)
        case shuttingDown
    }
    let kind: Kind

    var description: String {
        switch kind {
        case .deadline(let timeout): "did not finish within \(timeout.seconds) s"
        case .shuttingDown: "agent is shutting down"
        }
    }
}
