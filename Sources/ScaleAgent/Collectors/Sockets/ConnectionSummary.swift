/// The host's TCP connections reduced to bounded label sets.
///
/// A connection whose local port is a listening port (on its address or a wildcard one) was
/// accepted by a local server: it counts as inbound, per local port. So does one whose remote
/// port is ephemeral (in net.ipv4.ip_local_port_range) and its local port not: a server's
/// connection that outlives its listener, as during a restart. Every other one was opened by
/// a local client: it counts as outbound, per remote endpoint (address:port, no
/// name lookup), the `top` endpoints with the most connections by name and the rest as
/// `other` — so "every worker is parked on one upstream" shows as one endpoint's count
/// rising. The mean smoothed RTT of established outbound connections comes with each
/// endpoint where the kernel reported it.
public struct ConnectionSummary: Sendable, Equatable {
    public static let other = "other"

    public struct Endpoint: Sendable, Equatable {
        public var remote: String
        /// Connections by state, sorted by the state's raw value.
        public var states: [(state: TCPState, count: Int)]
        public var meanRTTSeconds: Double?

        public static func == (lhs: Endpoint, rhs: Endpoint) -> Bool {
            lhs.remote == rhs.remote && lhs.meanRTTSeconds == rhs.meanRTTSeconds
                && lhs.states.map(\.state) == rhs.states.map(\.state) && lhs.states.map(\.count) == rhs.states.map(\.count)
        }
    }

    /// Outbound endpoints, most connections first (ties by name), then `other` if any.
    public var outbound: [Endpoint] = []
    /// Inbound connections by local listening port and state, sorted.
    public var inbound: [(port: UInt16, state: TCPState, count: Int)] = []

    public static func == (lhs: ConnectionSummary, rhs: ConnectionSummary) -> Bool {
        lhs.outbound == rhs.outbound && lhs.inbound.map(\.port) == rhs.inbound.map(\.port)
            && lhs.inbound.map(\.state) == rhs.inbound.map(\.state) && lhs.inbound.map(\.count) == rhs.inbound.map(\.count)
    }

    private struct Tally {
        var states: [Int] = Array(repeating: 0, count: 16)
        var total = 0
        var rttSum = 0.0
        var rttCount = 0

        mutating func add(_ socket: InetSocket) {
            states[Int(socket.state.rawValue)] += 1
            total += 1
            if socket.state == .established, let rtt = socket.rttMicroseconds {
                rttSum += Double(rtt) / 1_000_000
                rttCount += 1
            }
        }

        mutating func merge(_ other: Tally) {
            for index in states.indices { states[index] += other.states[index] }
            total += other.total
            rttSum += other.rttSum
            rttCount += other.rttCount
        }

        func endpoint(_ remote: String) -> Endpoint {
            let byState = TCPState.allCases.compactMap { state in
                states[Int(state.rawValue)] > 0 ? (state: state, count: states[Int(state.rawValue)]) : nil
            }
            return Endpoint(remote: remote, states: byState, meanRTTSeconds: rttCount > 0 ? rttSum / Double(rttCount) : nil)
        }
    }

    public init(sockets: [InetSocket], top: Int, ephemeralPorts: ClosedRange<UInt16>? = nil) {
        var listeningPorts = Set<UInt16>()
        var listening = Set<SocketEndpoint>()
        for socket in sockets where socket.state == .listen {
            listening.insert(socket.local)
            listeningPorts.insert(socket.local.port)
        }
        var outboundTallies: [SocketEndpoint: Tally] = [:]
        var inboundCounts: [UInt16: [Int]] = [:]
        for socket in sockets where socket.state != .listen {
            let accepted =
                listeningPorts.contains(socket.local.port) && Self.accepted(socket, listening: listening)
                || ephemeralPorts.map { $0.contains(socket.remote.port) && !$0.contains(socket.local.port) } == true
            if accepted {
                inboundCounts[socket.local.port, default: Array(repeating: 0, count: 16)][Int(socket.state.rawValue)] += 1
            } else {
                outboundTallies[socket.remote, default: Tally()].add(socket)
            }
        }
        // Names are built once per endpoint, not per comparison.
        let ranked = outboundTallies.map { (name: $0.key.description, tally: $0.value) }
            .sorted { ($0.tally.total, $1.name) > ($1.tally.total, $0.name) }
        outbound = ranked.prefix(top).map { $0.tally.endpoint($0.name) }
        if ranked.count > top {
            var rest = Tally()
            for entry in ranked.dropFirst(top) { rest.merge(entry.tally) }
            outbound.append(rest.endpoint(Self.other))
        }
        for (port, counts) in inboundCounts.sorted(by: { $0.key < $1.key }) {
            for state in TCPState.allCases where counts[Int(state.rawValue)] > 0 {
                inbound.append((port: port, state: state, count: counts[Int(state.rawValue)]))
            }
        }
    }

    /// Whether a listener on the socket's local port covers its local address: the same
    /// address, or the wildcard of its family (`::` also takes IPv4-mapped addresses).
    private static func accepted(_ socket: InetSocket, listening: Set<SocketEndpoint>) -> Bool {
        let port = socket.local.port
        return listening.contains(socket.local) || listening.contains(SocketEndpoint(address: "0.0.0.0", port: port))
            || listening.contains(SocketEndpoint(address: "::", port: port))
    }
}
