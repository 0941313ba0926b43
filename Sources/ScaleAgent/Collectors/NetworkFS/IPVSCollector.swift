/// The kernel's IPVS load balancer under node_exporter's `ipvs` names: totals from
/// /proc/net/ip_vs_stats and, per real server, weight and active and inactive connections from
/// /proc/net/ip_vs — a backend whose connections pile up while its peers idle, or whose weight
/// went to 0. Skipped where the ip_vs module is not loaded.
///
/// Backends carry node_exporter 1.5's default label set (local_address, local_port,
/// remote_address, remote_port, proto, local_mark); real servers that share all six (the same
/// server listed twice) are summed, as there.
public struct IPVSCollector: Collector {
    public let name = "ipvs"
    private let paths: HostPaths

    public init(paths: HostPaths) { self.paths = paths }

    public func collect(into metrics: inout MetricsBuilder) throws {
        let statsFile = paths.proc("net/ip_vs_stats")
        guard let statsText = try FileReading.optionalString(atPath: statsFile) else { return }
        let totals = try Self.parseTotals(statsText, file: statsFile)
        metrics.counter("node_ipvs_connections_total", "The total number of connections made.", Double(totals.connections))
        metrics.counter(
            "node_ipvs_incoming_packets_total", "The total number of incoming packets.", Double(totals.incomingPackets))
        metrics.counter(
            "node_ipvs_outgoing_packets_total", "The total number of outgoing packets.", Double(totals.outgoingPackets))
        metrics.counter("node_ipvs_incoming_bytes_total", "The total amount of incoming data.", Double(totals.incomingBytes))
        metrics.counter("node_ipvs_outgoing_bytes_total", "The total amount of outgoing data.", Double(totals.outgoingBytes))

        let backendsFile = paths.proc("net/ip_vs")
        let backends = try IPVSBackend.parseAll(FileReading.string(atPath: backendsFile), file: backendsFile)
        var sums: [[String]: (active: UInt64, inactive: UInt64, weight: UInt64)] = [:]
        for backend in backends {
            let key = [
                backend.localAddress, String(backend.localPort), backend.remoteAddress, String(backend.remotePort),
                backend.proto, backend.localMark,
            ]
            let sum = sums[key] ?? (0, 0, 0)
            sums[key] = (
                sum.active &+ backend.activeConnections, sum.inactive &+ backend.inactiveConnections, sum.weight &+ backend.weight
            )
        }
        for (key, sum) in sums.sorted(by: { $0.key.lexicographicallyPrecedes($1.key) }) {
            let labels: KeyValuePairs<String, String> = [
                "local_address": key[0], "local_port": key[1], "remote_address": key[2], "remote_port": key[3], "proto": key[4],
                "local_mark": key[5],
            ]
            metrics.gauge(
                "node_ipvs_backend_connections_active", "The current active connections by local and remote address.",
                Double(sum.active), labels)
            metrics.gauge(
                "node_ipvs_backend_connections_inactive", "The current inactive connections by local and remote address.",
                Double(sum.inactive), labels)
            metrics.gauge(
                "node_ipvs_backend_weight", "The current backend weight by local and remote address.", Double(sum.weight), labels)
        }
    }

    struct Totals: Equatable {
        var connections, incomingPackets, outgoingPackets, incomingBytes, outgoingBytes: UInt64
    }

    /// /proc/net/ip_vs_stats (ip_vs_stats_show): two header lines, the totals in hex on the
    /// third, then a blank line and the per-second rates, which are not read:
    ///
    ///        Total Incoming Outgoing         Incoming         Outgoing
    ///        Conns  Packets  Packets            Bytes            Bytes
    ///          16AA370 E33656E5        0    51D8C8883AB3        0
    static func parseTotals(_ text: String, file: String) throws(ParseError) -> Totals {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        guard lines.count >= 3 else {
            throw ParseError(file: file, line: 0, "expected two header lines and a line of totals, found \(lines.count) lines")
        }
        let fields = lines[2].split(whereSeparator: { $0 == " " || $0 == "\t" })
        guard fields.count == 5 else {
            throw ParseError(file: file, line: 3, "expected 5 hex totals, found \(fields.count) fields")
        }
        var values: [UInt64] = []
        for field in fields {
            guard field.allSatisfy(\.isHexDigit), let value = UInt64(field, radix: 16) else {
                throw ParseError(file: file, line: 3, "expected a hex total, found '\(field.prefix(40))'")
            }
            values.append(value)
        }
        return Totals(
            connections: values[0], incomingPackets: values[1], outgoingPackets: values[2], incomingBytes: values[3],
            outgoingBytes: values[4])
    }
}
