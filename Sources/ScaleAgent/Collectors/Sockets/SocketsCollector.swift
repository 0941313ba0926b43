import Logging
import MetricStore
import NIOConcurrencyHelpers

/// Listening sockets' accept queues, listeners that went away, and the host's TCP connections
/// per remote endpoint, from one sock_diag dump per collection (or /proc/net/tcp{,6} where
/// netlink is refused, or where `paths.procfs` names another tree than /proc: netlink only
/// sees the agent's own network namespace).
///
/// A full accept queue is "requests queue" before any log line is written: the kernel holds
/// finished handshakes until the server calls `accept()`, up to the backlog, and drops the
/// rest (`node_netstat_TcpExt_ListenOverflows`).
public struct SocketsCollector: Collector {
    public let name = "sockets"
    private let paths: HostPaths
    private let settings: SocketSettings
    private let logger: Logger
    private let clock: @Sendable () -> Duration
    private let state: NIOLockedValueBox<State>
    private let ownerScan: ListenerOwnerScan

    private struct State {
        var tracker: ListenerTracker
        var owners = ListenerOwners(retry: SocketsCollector.ownerRetry)
        var warnedAboutFallback = false
        /// The last walk of the connection table (every state but LISTEN and TIME_WAIT).
        var connections: (at: Duration, sockets: [InetSocket])?
    }

    /// How long a listener whose owner a scan did not find waits for the next scan.
    static let ownerRetry: Duration = .seconds(10 * 60)

    public init(
        paths: HostPaths, settings: SocketSettings = SocketSettings(), logger: Logger = Logger(label: "scalewatch"),
        clock: @escaping @Sendable () -> Duration = SocketsCollector.monotonicNow
    ) {
        self.paths = paths
        self.settings = settings
        self.logger = logger
        self.clock = clock
        self.state = NIOLockedValueBox(State(tracker: ListenerTracker(hold: settings.portGoneHold)))
        self.ownerScan = ListenerOwnerScan(paths: paths)
    }

    public static let monotonicNow: @Sendable () -> Duration = {
        let origin = ContinuousClock.Instant.now
        return { ContinuousClock.now - origin }
    }()

    public func collect(into metrics: inout MetricsBuilder) throws {
        let (sockets, source) = try readSockets()
        metrics.gauge(
            "scalewatch_sockets_source_info", "Where the sockets collector reads the host's TCP sockets: netlink (sock_diag) or proc (/proc/net/tcp).",
            1, ["source": source])
        emitListeners(sockets, into: &metrics)
        emitConnections(sockets, into: &metrics)
    }

    /// Every state but TIME_WAIT. A closed connection lingers a minute in TIME_WAIT, so on a
    /// busy host (or under a scraper that opens a connection per scrape) those are most of the
    /// sockets, and decoding them was most of this collector's cost; they hold no worker and
    /// no descriptor, and the host's count is `node_sockstat_TCP_tw`.
    static let states = Set(TCPState.allCases).subtracting([.timeWait])

    /// A dump of listeners alone reads the kernel's small listening hash; any other state makes
    /// it walk the whole connection hash table, every bucket (131,072 on a 23 GiB test host),
    /// however few connections there are: a millisecond or two, most of this collector's cost
    /// and a fifth of a collection's. So the connections are walked at most once per
    /// `connections_max_age` (by default the collection interval), and a scrape that arrives
    /// between two walks gets the last one's connections with fresh listeners.
    private func dump(families: [SockDiagMessage.Family]) throws(NetlinkError) -> [InetSocket] {
        let now = clock()
        let recent = state.withLockedValue { state in
            state.connections.flatMap { now - $0.at < settings.connectionsMaxAge ?? .zero ? $0.sockets : nil }
        }
        if let recent {
            return try SockDiagSocket.dump(families: families, states: [.listen]) + recent
        }
        let sockets = try SockDiagSocket.dump(families: families, states: Self.states)
        let connections = sockets.filter { $0.state != .listen }
        state.withLockedValue { $0.connections = (now, connections) }
        return sockets
    }

    private func readSockets() throws -> ([InetSocket], String) {
        if paths.procfs == "/proc" {
            let families = DumpedFamilies.families(sockstat: sockstatText("net/sockstat"), sockstat6: sockstatText("net/sockstat6"))
            switch Result(catching: { () throws(NetlinkError) in try dump(families: families) }) {
            case .success(let sockets):
                return (sockets, "netlink")
            case .failure(.malformed(let message)):
                throw NetlinkError.malformed(message)
            case .failure(let refusal):
                let warn = state.withLockedValue { state in
                    defer { state.warnedAboutFallback = true }
                    return !state.warnedAboutFallback
                }
                if warn {
                    logger.warning(
                        "sock_diag refused; reading /proc/net/tcp instead (no backlog, no RTT)", metadata: ["error": "\(refusal)"])
                }
            }
        }
        var sockets: [InetSocket] = []
        for file in ["net/tcp", "net/tcp6"] {
            let path = paths.proc(file)
            // Absent without IPv6: skipped.
            guard let text = try FileReading.optionalString(atPath: path) else { continue }
            sockets += try ProcNetTCP.parse(text, file: path).filter { Self.states.contains($0.state) }
        }
        return (sockets, "proc")
    }

    /// The file's text; nil only when it does not exist. One that cannot be read reads as
    /// empty, which `DumpedFamilies` takes as "dump it".
    private func sockstatText(_ relative: String) -> String? {
        do {
            return try FileReading.optionalString(atPath: paths.proc(relative))
        } catch {
            return ""
        }
    }

    private struct ListenQueue {
        var length: UInt32 = 0
        var maximum: UInt32? = 0
        var inode = UInt32.max
    }

    private func emitListeners(_ sockets: [InetSocket], into metrics: inout MetricsBuilder) {
        // SO_REUSEPORT gives one socket per worker on the same address: summed, and the
        // smallest inode stands for the group.
        var queues: [SocketEndpoint: ListenQueue] = [:]
        for socket in sockets where socket.state == .listen {
            var queue = queues[socket.local] ?? ListenQueue()
            queue.length += socket.receiveQueue
            queue.maximum = socket.sendQueue.flatMap { sent in queue.maximum.map { $0 + sent } }
            queue.inode = min(queue.inode, socket.inode)
            queues[socket.local] = queue
        }
        let now = clock()
        let (listeners, goneTotals, kept, omitted, listening, wanted) = state.withLockedValue { state in
            let ordered = queues.keys.sorted { (state.tracker.remembers($1) ? 0 : 1, $0) < (state.tracker.remembers($0) ? 0 : 1, $1) }
            let kept = ordered.prefix(settings.maxListeners)
            let listening = Dictionary(uniqueKeysWithValues: kept.map { ($0, queues[$0]!.inode) })
            let listeners = state.tracker.update(listening: listening, now: now)
            let wanted = state.owners.wanted(listening: listening, now: now)
            return (listeners, state.tracker.goneTotals, Set(kept), ordered.count - kept.count, listening, wanted)
        }
        let owners = listenerOwners(listening: listening, wanted: wanted, listeners: listeners, now: now)
        for endpoint in kept.sorted() {
            let queue = queues[endpoint]!
            let labels: KeyValuePairs<String, String> = ["address": endpoint.address, "port": String(endpoint.port)]
            metrics.gauge(
                "scalewatch_listen_queue_length", "Connections in a listening socket's accept queue, waiting for accept().",
                Double(queue.length), labels)
            if let maximum = queue.maximum {
                metrics.gauge(
                    "scalewatch_listen_queue_max", "A listening socket's accept queue limit (the listen() backlog, capped by net.core.somaxconn).",
                    Double(maximum), labels)
            }
        }
        for listener in listeners {
            metrics.gauge(
                "scalewatch_listen_port_up",
                "1 while the address listens on the port; 0 for a while (collectors.sockets.port_gone_hold) after it stopped.",
                listener.up ? 1 : 0, ["address": listener.endpoint.address, "port": String(listener.endpoint.port)])
        }
        emitOwners(listeners, owners, into: &metrics)
        for (port, count) in goneTotals {
            metrics.counter(
                "scalewatch_listen_port_gone_total",
                "Times a listening socket of the port closed: gone at a collection, or replaced by a new socket since the last.",
                Double(count), ["port": String(port)])
        }
        metrics.gauge(
            "scalewatch_listen_sockets_omitted", "Listening addresses beyond collectors.sockets.max_listeners, not reported.",
            Double(omitted))
    }

    /// The owner of each reported listener (its last one's for a listener gone), scanning
    /// /proc for the `wanted` inodes first.
    private func listenerOwners(
        listening: [SocketEndpoint: UInt32], wanted: Set<UInt32>, listeners: [ListenerTracker.Listener], now: Duration
    ) -> [SocketEndpoint: ListenerOwner] {
        var found: [UInt32: ListenerOwner] = [:]
        if !wanted.isEmpty {
            let started = ContinuousClock.now
            do {
                let result = try ownerScan.run(wanted: wanted)
                found = result.found
                logger.debug(
                    "listener owner scan",
                    metadata: [
                        "wanted": "\(wanted.count)", "found": "\(result.found.count)", "links": "\(result.linksRead)",
                        "denied": "\(result.denied)", "complete": "\(result.complete)", "duration": "\(ContinuousClock.now - started)",
                    ])
            } catch {
                logger.warning("listener owner scan failed", metadata: ["error": "\(error)"])
            }
        }
        return state.withLockedValue { state in
            state.owners.update(
                listening: listening, scanned: wanted, found: found, remembered: Set(listeners.map(\.endpoint)), now: now)
            var owners: [SocketEndpoint: ListenerOwner] = [:]
            for listener in listeners { owners[listener.endpoint] = state.owners.owner(of: listener.endpoint) }
            return owners
        }
    }

    static let infoHelp =
        "The process and systemd unit that own the listening address (its last listener's, while it is reported gone); "
        + "unit and process are absent where the agent may not read the owner's /proc/PID/fd."
    static let runningHelp =
        "1 while the unit (outside units: the process) that owned the listener still runs, 0 once it stopped: "
        + "a port gone while this is 1 is a server up without listening, while 0 a stop or restart."

    private func emitOwners(
        _ listeners: [ListenerTracker.Listener], _ owners: [SocketEndpoint: ListenerOwner], into metrics: inout MetricsBuilder
    ) {
        for listener in listeners {
            let owner = owners[listener.endpoint]
            let address = Label("address", listener.endpoint.address)
            let port = Label("port", String(listener.endpoint.port))
            metrics.add(
                "scalewatch_listen_port_info", Self.infoHelp, .gauge, 1,
                labels: Labels([address, port, Label("process", owner?.process ?? ""), Label("unit", owner?.unit ?? "")]))
            guard let owner else { continue }
            // The socket is open, so something holds it; only a gone listener's owner is looked at.
            guard let running = listener.up ? true : ownerScan.isRunning(owner) else { continue }
            metrics.add("scalewatch_listen_port_owner_running", Self.runningHelp, .gauge, running ? 1 : 0, labels: Labels([address, port]))
        }
    }

    /// net.ipv4.ip_local_port_range (`32768\t60999`), or nil where unreadable or odd: the
    /// summary then goes by listening ports alone.
    private func ephemeralPorts() -> ClosedRange<UInt16>? {
        guard let text = try? FileReading.optionalString(atPath: paths.proc("sys/net/ipv4/ip_local_port_range")) else { return nil }
        let bounds = text.splitASCIIWhitespace().compactMap { UInt16($0) }
        guard bounds.count == 2, bounds[0] <= bounds[1] else { return nil }
        return bounds[0]...bounds[1]
    }

    private func emitConnections(_ sockets: [InetSocket], into metrics: inout MetricsBuilder) {
        let summary = ConnectionSummary(sockets: sockets, top: settings.topEndpoints, ephemeralPorts: ephemeralPorts())
        for endpoint in summary.outbound {
            for (state, count) in endpoint.states {
                metrics.gauge(
                    "scalewatch_tcp_outbound_connections",
                    "TCP connections opened from this host, by remote endpoint (the top collectors.sockets.top_endpoints; the rest as other) and state.",
                    Double(count), ["remote": endpoint.remote, "state": state.label])
            }
        }
        for endpoint in summary.outbound {
            guard let rtt = endpoint.meanRTTSeconds else { continue }
            metrics.gauge(
                "scalewatch_tcp_outbound_rtt_seconds", "Mean smoothed round-trip time of the established connections to the remote endpoint.",
                rtt, ["remote": endpoint.remote])
        }
        for (port, state, count) in summary.inbound {
            metrics.gauge(
                "scalewatch_tcp_inbound_connections", "TCP connections accepted by a local listening port, by state.",
                Double(count), ["port": String(port), "state": state.label])
        }
    }
}
