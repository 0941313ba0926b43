import Logging
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix

/// PostgreSQL servers: `pg_up`, activity, locks, replication on both sides, prepared
/// transactions, database statistics and the hot statements, under postgres_exporter's names
/// where it has them. Each target keeps one connection (see `PostgresTargetMonitor`); a
/// collection asks every target for a refresh at once and waits for each at most its
/// `collection_timeout`, so a slow or dead server delays nothing but its own freshness.
public struct PostgresCollector: Collector {
    public let name = "postgres"
    private let monitors: [PostgresTargetMonitor]

    public init(settings: PostgresSettings, logger: Logger) {
        monitors = settings.targets.map { PostgresMonitors.shared.monitor(for: $0, logger: logger) }
    }

    public func collect(into metrics: inout MetricsBuilder) throws {
        let started = ContinuousClock.now
        let tickets = monitors.map { $0.requestRefresh() }
        for (monitor, ticket) in zip(monitors, tickets) {
            if let ticket {
                let remaining = monitor.target.collectionTimeout - (ContinuousClock.now - started)
                _ = ticket.wait(seconds: remaining.seconds)
            }
            monitor.render(into: &metrics, waited: ticket)
        }
    }
}

/// The monitors of the running config. A reload builds new collectors while the old ones still
/// exist, so a target whose settings did not change keeps its connection and its statements
/// history; one that is gone closes when its last collector is released.
final class PostgresMonitors: Sendable {
    static let shared = PostgresMonitors()

    /// One event-loop thread for all targets: a refresh is a few dozen small queries.
    private let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
    private let monitors = NIOLockedValueBox<[PostgresTarget: WeakMonitor]>([:])

    private struct WeakMonitor {
        weak var monitor: PostgresTargetMonitor?
    }

    func monitor(for target: PostgresTarget, logger: Logger) -> PostgresTargetMonitor {
        monitors.withLockedValue { monitors in
            monitors = monitors.filter { $0.value.monitor != nil }
            if let existing = monitors[target]?.monitor { return existing }
            let monitor = PostgresTargetMonitor(target: target, eventLoop: group.next(), logger: logger)
            monitors[target] = WeakMonitor(monitor: monitor)
            return monitor
        }
    }
}
