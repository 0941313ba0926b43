import Logging
import NIOConcurrencyHelpers
import NIOCore

/// The open HTTP connections of every listener, under one limit, and what the agent closed.
///
/// At the limit a new connection takes the place of the one that has waited longest on its
/// client (idle between requests, or sending a request too slowly); only when every connection
/// is being answered is the new one closed at once. So connections that only sit there, however
/// many, cannot lock a scraper out, and the agent never holds more sockets than the limit, which
/// leaves the rest of the process' file descriptors to the collectors and the store.
public final class HTTPConnectionTable: Sendable {
    /// Why the agent closed a connection (not counted: a client that closed its own).
    enum CloseReason: String, CaseIterable, Sendable {
        /// At the limit, with every connection being answered: closed at accept.
        case refused
        /// At the limit: the connection that waited longest made room for a new one.
        case evicted
        /// A request not received whole within the read timeout of its first byte.
        case readTimeout = "read_timeout"
        /// Nothing asked for within the idle timeout.
        case idleTimeout = "idle_timeout"
    }

    struct Entry {
        let channel: any Channel
        var evictable: Bool
        var waitingSince: NIODeadline
    }

    private struct State {
        var limit: Int
        var open: [Int: Entry] = [:]
        var nextID = 0
        var closed: [CloseReason: Int] = [:]
        /// Set when the limit is reached, cleared once use falls below half of it: one warning
        /// per episode, not one per connection.
        var atLimit = false
        var lastWarning: NIODeadline?
    }

    private let state: NIOLockedValueBox<State>
    private let logger: Logger

    /// Warnings about the limit come at most this often, however often it is reached.
    static let warningInterval: TimeAmount = .minutes(1)

    public init(limit: Int = WebSettings().maxConnections, logger: Logger) {
        self.state = NIOLockedValueBox(State(limit: max(1, limit)))
        self.logger = logger
    }

    var limit: Int { state.withLockedValue { $0.limit } }
    var openCount: Int { state.withLockedValue { $0.open.count } }

    func setLimit(_ limit: Int) {
        state.withLockedValue { $0.limit = max(1, limit) }
    }

    func closedCount(_ reason: CloseReason) -> Int {
        state.withLockedValue { $0.closed[reason, default: 0] }
    }

    /// Registers a new connection; nil when it must be closed at once (refused). A connection
    /// evicted to make room is closed here.
    func admit(_ channel: any Channel, now: NIODeadline = .now()) -> Int? {
        let (id, evicted, warnAt) = state.withLockedValue { state -> (Int?, (any Channel)?, Int?) in
            var evicted: (any Channel)?
            if state.open.count >= state.limit {
                let oldest = state.open.filter { $0.value.evictable }.min { $0.value.waitingSince < $1.value.waitingSince }
                if let oldest {
                    state.open[oldest.key] = nil
                    state.closed[.evicted, default: 0] += 1
                    evicted = oldest.value.channel
                } else {
                    state.closed[.refused, default: 0] += 1
                }
            }
            var warnAt: Int?
            if state.open.count + 1 >= state.limit, !state.atLimit {
                state.atLimit = true
                if state.lastWarning.map({ now - $0 >= Self.warningInterval }) ?? true {
                    state.lastWarning = now
                    warnAt = state.limit
                }
            }
            guard state.open.count < state.limit else { return (nil, nil, warnAt) }
            let id = state.nextID
            state.nextID += 1
            state.open[id] = Entry(channel: channel, evictable: true, waitingSince: now)
            return (id, evicted, warnAt)
        }
        if let warnAt {
            logger.warning(
                "HTTP connection limit reached: new connections replace the longest-waiting ones, or are closed while all are being answered; see scalewatch_http_connections_closed_total",
                metadata: ["max_connections": "\(warnAt)"])
        }
        evicted?.close(promise: nil)
        return id
    }

    func update(_ id: Int, evictable: Bool, waitingSince: NIODeadline) {
        state.withLockedValue { state in
            state.open[id]?.evictable = evictable
            state.open[id]?.waitingSince = waitingSince
        }
    }

    /// The connection closed; `reason` when the agent closed it for a time limit.
    func remove(_ id: Int, reason: CloseReason? = nil) {
        state.withLockedValue { state in
            guard state.open.removeValue(forKey: id) != nil else { return }
            if let reason { state.closed[reason, default: 0] += 1 }
            if state.open.count < state.limit / 2 { state.atLimit = false }
        }
    }

    public func report(into metrics: inout MetricsBuilder) {
        let (open, limit, closed) = state.withLockedValue { ($0.open.count, $0.limit, $0.closed) }
        metrics.gauge("scalewatch_http_connections", "Open HTTP connections.", Double(open))
        metrics.gauge(
            "scalewatch_http_connections_limit",
            "Most HTTP connections open at once: web.max_connections, lowered to fit the file descriptor limit.",
            Double(limit))
        for reason in CloseReason.allCases {
            metrics.counter(
                "scalewatch_http_connections_closed_total",
                "HTTP connections the agent closed: over the limit (refused, evicted) or for a time limit.",
                Double(closed[reason, default: 0]), ["reason": reason.rawValue])
        }
    }
}
