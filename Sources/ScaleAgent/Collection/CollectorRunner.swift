import Logging
import NIOConcurrencyHelpers
import NIOPosix

/// Runs every collector on dedicated threads with a deadline and reports each one's success and
/// duration as metrics. A collector that throws, overruns its deadline or is still stuck in a
/// previous run fails alone: the others, the scrape and the daemon carry on.
public final class CollectorRunner: Sendable {
    public let collectors: [any Collector]
    private let timeout: Duration
    private let threads: NIOThreadPool
    private let logger: Logger
    /// Collectors whose last call has not returned yet. One stuck call per collector at most:
    /// a collector still running is skipped rather than piling up blocked threads.
    private let running = NIOLockedValueBox<Set<String>>([])

    public init(collectors: [any Collector], timeout: Duration, logger: Logger) {
        self.collectors = collectors
        self.timeout = timeout
        self.logger = logger
        // One thread per collector, so even all of them blocked cannot starve each other.
        self.threads = NIOThreadPool(numberOfThreads: max(1, collectors.count))
        self.threads.start()
    }

    public func shutdown() async {
        try? await threads.shutdownGracefully()
    }

    /// Runs all collectors concurrently; returns their families followed by
    /// `scalewatch_collector_success` and `scalewatch_collector_duration_seconds`.
    public func collectAll() async -> [MetricFamily] {
        let outcomes = await withTaskGroup(of: Outcome.self) { group in
            for collector in collectors {
                group.addTask { await self.run(collector) }
            }
            var outcomes: [Outcome] = []
            for await outcome in group { outcomes.append(outcome) }
            return outcomes
        }
        var metrics = MetricsBuilder()
        for outcome in outcomes.sorted(by: { $0.name < $1.name }) {
            metrics.append(contentsOf: outcome.families)
        }
        for outcome in outcomes {
            metrics.gauge(
                "scalewatch_collector_success", "Whether the collector's last run succeeded (1) or failed (0).",
                outcome.error == nil ? 1 : 0, ["collector": outcome.name])
            metrics.gauge(
                "scalewatch_collector_duration_seconds", "How long the collector's last run took.",
                outcome.seconds, ["collector": outcome.name])
        }
        return metrics.build()
    }

    struct Outcome: Sendable {
        let name: String
        let families: [MetricFamily]
        let seconds: Double
        let error: String?
    }

    private func run(_ collector: any Collector) async -> Outcome {
        let name = collector.name
        let alreadyRunning = running.withLockedValue { !$0.insert(name).inserted }
        if alreadyRunning {
            return failed(name, seconds: 0, "previous run has not returned yet; skipped")
        }
        let started = ContinuousClock.now
        let result = await callWithDeadline(collector)
        let seconds = (ContinuousClock.now - started).seconds
        switch result {
        case .success(let families):
            return Outcome(name: name, families: families, seconds: seconds, error: nil)
        case .failure(let error):
            return failed(name, seconds: seconds, String(describing: error))
        }
    }

    private func failed(_ name: String, seconds: Double, _ message: String) -> Outcome {
        logger.warning("collector failed", metadata: ["collector": "\(name)", "error": "\(message)"])
        return Outcome(name: name, families: [], seconds: seconds, error: message)
    }

    /// Calls `collect` on a pool thread and gives up waiting at the deadline. The thread may
    /// stay blocked; `running` keeps the collector out of later runs until it returns.
    private func callWithDeadline(_ collector: any Collector) async -> Result<[MetricFamily], any Error> {
        let timeout = self.timeout
        let running = self.running
        return await withCheckedContinuation { continuation in
            let once = ResumeOnce(continuation)
            let deadline = Task {
                try? await Task.sleep(for: timeout)
                if !Task.isCancelled {
                    once.resume(.failure(CollectorTimeout(kind: .deadline(timeout))))
                }
            }
            threads.submit { state in
                let result: Result<[MetricFamily], any Error>
                if case .active = state {
                    result = Result {
                        var metrics = MetricsBuilder()
                        try collector.collect(into: &metrics)
                        return metrics.build()
                    }
                } else {
                    result = .failure(CollectorTimeout(kind: .shuttingDown))
                }
                // Free the collector before answering, so the next run never sees it as busy.
                running.withLockedValue { _ = $0.remove(collector.name) }
                deadline.cancel()
                once.resume(result)
            }
        }
    }
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

/// Resumes a continuation exactly once, whichever of the racing sides comes first.
final class ResumeOnce<Value: Sendable>: Sendable {
    private let continuation: NIOLockedValueBox<CheckedContinuation<Value, Never>?>

    init(_ continuation: CheckedContinuation<Value, Never>) {
        self.continuation = NIOLockedValueBox(continuation)
    }

    func resume(_ value: Value) {
        let pending = continuation.withLockedValue { stored in
            defer { stored = nil }
            return stored
        }
        pending?.resume(returning: value)
    }
}
