/// The NFS client's RPC statistics from /proc/net/rpc/nfs under node_exporter's `nfs` names:
/// packets, connections, RPC calls, retransmissions (a server or network that drops requests)
/// and calls per NFS version and procedure. Skipped where the nfs module is not loaded.
public struct NFSCollector: Collector {
    public let name = "nfs"
    private let paths: HostPaths

    public init(paths: HostPaths) { self.paths = paths }

    public func collect(into metrics: inout MetricsBuilder) throws {
        let file = paths.proc("net/rpc/nfs")
        guard let text = try FileReading.optionalString(atPath: file) else { return }
        let stats = try Self.parse(text, file: file)
        let packets = "Total NFSd network packets (sent+received) by protocol type."
        metrics.counter("node_nfs_packets_total", packets, Double(stats.network.udpPackets), ["protocol": "udp"])
        metrics.counter("node_nfs_packets_total", packets, Double(stats.network.tcpPackets), ["protocol": "tcp"])
        metrics.counter(
            "node_nfs_connections_total", "Total number of NFSd TCP connections.", Double(stats.network.tcpConnections))
        metrics.counter("node_nfs_rpcs_total", "Total number of RPCs performed.", Double(stats.calls))
        metrics.counter(
            "node_nfs_rpc_retransmissions_total", "Number of RPC transmissions performed.", Double(stats.retransmissions))
        metrics.counter(
            "node_nfs_rpc_authentication_refreshes_total", "Number of RPC authentication refreshes performed.",
            Double(stats.authenticationRefreshes))
        for (version, names) in [("2", NFSProcedures.version2), ("3", NFSProcedures.version3), ("4", NFSProcedures.clientVersion4)] {
            let counts = NFSProcedures.aligned(stats.procedures[version] ?? [], to: names)
            for (method, count) in zip(names, counts) {
                metrics.counter(
                    "node_nfs_requests_total", "Number of NFS procedures invoked.", Double(count),
                    ["proto": version, "method": method])
            }
        }
    }

    struct Stats: Equatable {
        var network = RPCNetworkCounts()
        var calls: UInt64 = 0
        var retransmissions: UInt64 = 0
        var authenticationRefreshes: UInt64 = 0
        /// By NFS version ("2", "3", "4"), the counts as the kernel lists them.
        var procedures: [String: [UInt64]] = [:]
    }

    /// The client file (RPCStatLine's format): `net`, `rpc` (calls, retransmissions, auth
    /// refreshes) and a `procN` line per NFS version the client supports. A line the kernel
    /// leaves out counts 0, as node_exporter reports it; keys of newer kernels are skipped.
    static func parse(_ text: String, file: String) throws(ParseError) -> Stats {
        var stats = Stats()
        for line in try RPCStatLine.parseAll(text, file: file) {
            switch line.key {
            case "net":
                stats.network = try RPCNetworkCounts(line, file: file)
            case "rpc":
                let values = try line.exactly(3, file: file)
                (stats.calls, stats.retransmissions, stats.authenticationRefreshes) = (values[0], values[1], values[2])
            case "proc2":
                stats.procedures["2"] = try line.procedureCounts(minimum: NFSProcedures.version2.count, file: file)
            case "proc3":
                stats.procedures["3"] = try line.procedureCounts(minimum: NFSProcedures.version3.count, file: file)
            case "proc4":
                stats.procedures["4"] = try line.procedureCounts(minimum: 1, file: file)
            default:
                continue
            }
        }
        return stats
    }
}
