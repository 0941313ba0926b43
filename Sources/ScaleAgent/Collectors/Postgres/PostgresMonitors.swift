import Logging
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix

/// The monitors of the running config. A reload builds new collectors while the old ones still
/// exist, so a target that is still listed — the same server, role, database and labels — keeps
/// its monitor, its statements window and, unless its session settings changed, its connection;
/// one that is gone closes when its last collector is released.
///
/// The agent owns one and shuts it down, as a service, after the collections have stopped:
/// every connection is closed (the servers see a clean goodbye) and the event loop stops.
public final class PostgresMonitors: Sendable {
    /// One event-loop thread for all targets (a refresh is one prepared statement and a few small
    /// queries), made with the first monitor: most agents watch no PostgreSQL at all.
    private let group = NIOLockedValueBox<MultiThreadedEventLoopGroup?>(nil)
    private let monitors = NIOLockedValueBox<[PostgresTarget.Identity: WeakMonitor]>([:])

    private struct WeakMonitor {
        weak var monitor: PostgresTargetMonitor?
    }

    public init() {}

    func monitor(for target: PostgresTarget, logger: Logger) -> PostgresTargetMonitor {
        monitors.withLockedValue { monitors in
            monitors = monitors.filter { $0.value.monitor != nil }
            if let existing = monitors[target.identity]?.monitor {
                existing.update(target)
                return existing
            }
            let loop = group.withLockedValue { group in
                if group == nil { group = MultiThreadedEventLoopGroup(numberOfThreads: 1) }
                return group!.next()
            }
            let monitor = PostgresTargetMonitor(target: target, eventLoop: loop, logger: logger)
            monitors[target.identity] = WeakMonitor(monitor: monitor)
            return monitor
        }
    }

    /// Closes every connection, waiting at most `timeout` for the servers to acknowledge, and
    /// stops the event loop. Monitors made afterwards cannot connect.
    public func shutdown(within timeout: Duration) async {
        let live = monitors.withLockedValue { $0.values.compactMap(\.monitor) }
        let closing = live.map { $0.close() }
        let deadline = ContinuousClock.now + timeout
        for future in closing {
            let left = deadline - ContinuousClock.now
            guard left > .zero else { break }
            // A server that does not answer the goodbye is not waited for beyond the deadline.
            _ = try? await withThrowingTaskGroup(of: Void.self) { tasks in
                tasks.addTask { try await future.get() }
                tasks.addTask { try await Task.sleep(for: left) }
                try await tasks.next()
                tasks.cancelAll()
            }
        }
        let group = self.group.withLockedValue { group in
            defer { group = nil }
            return group
        }
        try? await group?.shutdownGracefully()
    }
}

extension PostgresTarget {
    /// What makes two targets the same series: the server, role, database and extra labels.
    struct Identity: Hashable, Sendable {
        var endpoint: Endpoint
        var port: Int
        var user: String
        var database: String
        var labels: [String: String]
    }

    var identity: Identity { Identity(endpoint: endpoint, port: port, user: user, database: database, labels: labels) }
}
