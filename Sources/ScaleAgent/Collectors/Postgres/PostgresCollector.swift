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

    public init(settings: PostgresSettings, monitors: PostgresMonitors, logger: Logger) {
        self.monitors = settings.targets.map { monitors.monitor(for: $0, logger: logger) }
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
