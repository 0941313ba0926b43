/// Remembers the listening sockets of past collections, so that a port which stops listening
/// is recorded instead of silently dropping out of the metrics: during a deploy that stops
/// the old process before the new one listens, connections are refused (deploy = outage).
///
/// A port's listener is counted as gone (`goneTotal`) when, at a collection, an address that
/// listened on it no longer does, or listens through a different socket (new inode) — a
/// restart faster than the collection interval still closes the old socket and resets the
/// connections waiting in its accept queue. A vanished listener stays reported as down
/// (`up` false) for `hold`, so that a rule sees "port gone during traffic"; after that, or
/// when it listens again, it is forgotten or up. A port's counter lives as long as any of its
/// listeners is remembered. Pure: the caller passes the time.
public struct ListenerTracker: Sendable {
    public struct Listener: Sendable, Equatable {
        public var endpoint: SocketEndpoint
        public var up: Bool
    }

    private struct Entry: Sendable {
        var inode: UInt32
        var goneSince: Duration?
    }

    public let hold: Duration
    private var entries: [SocketEndpoint: Entry] = [:]
    private var goneByPort: [UInt16: Int] = [:]

    public init(hold: Duration) { self.hold = hold }

    /// Takes the listeners seen now (endpoint → inode) and returns every remembered listener,
    /// sorted by port and address.
    public mutating func update(listening: [SocketEndpoint: UInt32], now: Duration) -> [Listener] {
        var portsGone = Set<UInt16>()
        for (endpoint, inode) in listening {
            if let entry = entries[endpoint], entry.goneSince == nil, entry.inode != inode {
                portsGone.insert(endpoint.port)
            }
            entries[endpoint] = Entry(inode: inode, goneSince: nil)
        }
        for (endpoint, entry) in entries where listening[endpoint] == nil {
            if let since = entry.goneSince {
                if now - since >= hold { entries[endpoint] = nil }
            } else {
                entries[endpoint]?.goneSince = now
                portsGone.insert(endpoint.port)
            }
        }
        for port in portsGone { goneByPort[port, default: 0] += 1 }
        let remembered = Set(entries.keys.map(\.port))
        goneByPort = goneByPort.filter { remembered.contains($0.key) }
        for port in remembered where goneByPort[port] == nil { goneByPort[port] = 0 }
        return entries.map { Listener(endpoint: $0.key, up: $0.value.goneSince == nil) }.sorted { $0.endpoint < $1.endpoint }
    }

    /// Whether `endpoint` is remembered (listening, or gone less than `hold` ago): the
    /// collector keeps these first when there are more listeners than it reports, so that
    /// the cap never makes a listener look gone.
    public func remembers(_ endpoint: SocketEndpoint) -> Bool { entries[endpoint] != nil }

    /// How often each remembered port's listener went away, sorted by port.
    public var goneTotals: [(port: UInt16, count: Int)] {
        goneByPort.sorted { $0.key < $1.key }.map { (port: $0.key, count: $0.value) }
    }
}
