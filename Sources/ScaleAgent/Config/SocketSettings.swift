import Yams

/// Options of the `sockets` collector (`collectors.sockets` in agent.yml): listening sockets'
/// accept queues and the host's TCP connections per remote endpoint.
public struct SocketSettings: Sendable, Equatable {
    /// The most listening sockets reported (lowest ports first; those already reported keep
    /// their place); the rest are counted in `scalewatch_listen_sockets_omitted`.
    public var maxListeners = 100
    /// Remote endpoints with series of their own in `scalewatch_tcp_outbound_connections`;
    /// the rest are `remote="other"`.
    public var topEndpoints = 20
    /// How long a listening socket that went away stays reported with
    /// `scalewatch_listen_port_up` 0.
    public var portGoneHold: Duration = .seconds(15 * 60)
    /// How old the connection table may be when a collection reuses it rather than walking the
    /// kernel's again (0: walk at every collection); nil is the collection interval. Listeners
    /// are read at every collection.
    public var connectionsMaxAge: Duration?

    public init() {}

    static let optionKeys = ["max_listeners", "top_endpoints", "port_gone_hold", "connections_max_age"]

    static func parse(
        _ key: String, _ node: Node, _ qualified: String, _ reader: YAMLReader, into settings: inout SocketSettings
    ) throws(ConfigError) {
        switch key {
        case "max_listeners": settings.maxListeners = try reader.integer(node, qualified, in: 1...10_000)
        case "top_endpoints": settings.topEndpoints = try reader.integer(node, qualified, in: 1...1_000)
        case "port_gone_hold": settings.portGoneHold = try reader.duration(node, qualified, in: .seconds(1) ... .seconds(86_400))
        case "connections_max_age": settings.connectionsMaxAge = try reader.duration(node, qualified, in: .zero ... .seconds(3_600))
        default: preconditionFailure("BUG: option \(qualified) allowed but not handled")
        }
    }
}
