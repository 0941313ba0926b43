/// The NFS server's statistics from /proc/net/rpc/nfsd under node_exporter's `nfsd` names:
/// reply cache, stale file handles, bytes read and written, threads, network, RPC errors
/// (bad format or authentication: a client that cannot talk to this server) and calls per
/// NFS version and procedure. Skipped where nfsd is not running.
public struct NFSDCollector: Collector {
    public let name = "nfsd"
    private let paths: HostPaths

    public init(paths: HostPaths) { self.paths = paths }

    public func collect(into metrics: inout MetricsBuilder) throws {
        let file = paths.proc("net/rpc/nfsd")
        guard let text = try FileReading.optionalString(atPath: file) else { return }
        let stats = try Self.parse(text, file: file)
        metrics.counter(
            "node_nfsd_reply_cache_hits_total", "Total number of NFSd Reply Cache hits (client lost server response).",
            Double(stats.replyCacheHits))
        metrics.counter(
            "node_nfsd_reply_cache_misses_total",
            "Total number of NFSd Reply Cache an operation that requires caching (idempotent).", Double(stats.replyCacheMisses))
        metrics.counter(
            "node_nfsd_reply_cache_nocache_total",
            "Total number of NFSd Reply Cache non-idempotent operations (rename/delete/…).", Double(stats.replyCacheNoCache))
        metrics.counter(
            "node_nfsd_file_handles_stale_total", "Total number of NFSd stale file handles", Double(stats.staleFileHandles))
        metrics.counter("node_nfsd_disk_bytes_read_total", "Total NFSd bytes read.", Double(stats.bytesRead))
        metrics.counter("node_nfsd_disk_bytes_written_total", "Total NFSd bytes written.", Double(stats.bytesWritten))
        metrics.gauge(
            "node_nfsd_server_threads", "Total number of NFSd kernel threads that are running.", Double(stats.threads))
        metrics.gauge(
            "node_nfsd_read_ahead_cache_size_blocks", "How large the read ahead cache is in blocks.",
            Double(stats.readAheadCacheSize))
        metrics.counter(
            "node_nfsd_read_ahead_cache_not_found_total", "Total number of NFSd read ahead cache not found.",
            Double(stats.readAheadCacheNotFound))
        let packets = "Total NFSd network packets (sent+received) by protocol type."
        metrics.counter("node_nfsd_packets_total", packets, Double(stats.network.udpPackets), ["proto": "udp"])
        metrics.counter("node_nfsd_packets_total", packets, Double(stats.network.tcpPackets), ["proto": "tcp"])
        metrics.counter(
            "node_nfsd_connections_total", "Total number of NFSd TCP connections.", Double(stats.network.tcpConnections))
        let errors = "Total number of NFSd RPC errors by error type."
        metrics.counter("node_nfsd_rpc_errors_total", errors, Double(stats.badFormat), ["error": "fmt"])
        metrics.counter("node_nfsd_rpc_errors_total", errors, Double(stats.badAuthentication), ["error": "auth"])
        metrics.counter("node_nfsd_rpc_errors_total", errors, Double(stats.badClient), ["error": "cInt"])
        metrics.counter("node_nfsd_server_rpcs_total", "Total number of NFSd RPCs.", Double(stats.calls))
        let requests = "Total number NFSd Requests by method and protocol."
        // The server's version 2 and 3 series leave out NULL, as node_exporter does.
        for (version, names) in [("2", NFSProcedures.version2), ("3", NFSProcedures.version3)] {
            let counts = NFSProcedures.aligned(stats.procedures[version] ?? [], to: names)
            for (method, count) in zip(names, counts).dropFirst() {
                metrics.counter("node_nfsd_requests_total", requests, Double(count), ["proto": version, "method": method])
            }
        }
        let operations = stats.procedures["4"] ?? []
        for (method, operation) in NFSProcedures.serverVersion4 {
            let count = operation < operations.count ? operations[operation] : 0
            metrics.counter("node_nfsd_requests_total", requests, Double(count), ["proto": "4", "method": method])
        }
    }

    struct Stats: Equatable {
        var replyCacheHits: UInt64 = 0
        var replyCacheMisses: UInt64 = 0
        var replyCacheNoCache: UInt64 = 0
        var staleFileHandles: UInt64 = 0
        var bytesRead: UInt64 = 0
        var bytesWritten: UInt64 = 0
        var threads: UInt64 = 0
        var readAheadCacheSize: UInt64 = 0
        var readAheadCacheNotFound: UInt64 = 0
        var network = RPCNetworkCounts()
        var calls: UInt64 = 0
        var badFormat: UInt64 = 0
        var badAuthentication: UInt64 = 0
        var badClient: UInt64 = 0
        /// By NFS version: "2" and "3" the procedure counts, "4" the operation counts of
        /// `proc4ops` (the `proc4` line only counts NULL and COMPOUND).
        var procedures: [String: [UInt64]] = [:]
    }

    /// The server file (RPCStatLine's format), fs/nfsd/stats.c:
    ///
    ///     rc <hits> <misses> <nocache>
    ///     fh <stale> <4 values the kernel no longer counts>
    ///     io <bytes read> <bytes written>
    ///     th <threads> <times all were busy> [histogram of older kernels, floats]
    ///     ra <cache size> <10 depth buckets> <not found>      (older kernels only)
    ///     net <all> <udp> <tcp> <tcp connections>
    ///     rpc <calls> <bad> <bad format> <bad auth> <bad client>
    ///     proc2 18 …, proc3 22 …, proc4 2 <null> <compound>, proc4ops <n> <count per operation>
    ///
    /// A line the kernel leaves out counts 0, as node_exporter reports it; keys of newer
    /// kernels are skipped.
    static func parse(_ text: String, file: String) throws(ParseError) -> Stats {
        var stats = Stats()
        for line in try RPCStatLine.parseAll(text, file: file, integerPrefix: ["th": 2]) {
            switch line.key {
            case "rc":
                let values = try line.exactly(3, file: file)
                (stats.replyCacheHits, stats.replyCacheMisses, stats.replyCacheNoCache) = (values[0], values[1], values[2])
            case "fh":
                stats.staleFileHandles = try line.exactly(5, file: file)[0]
            case "io":
                let values = try line.exactly(2, file: file)
                (stats.bytesRead, stats.bytesWritten) = (values[0], values[1])
            case "th":
                stats.threads = line.values[0]
            case "ra":
                let values = try line.exactly(12, file: file)
                (stats.readAheadCacheSize, stats.readAheadCacheNotFound) = (values[0], values[11])
            case "net":
                stats.network = try RPCNetworkCounts(line, file: file)
            case "rpc":
                let values = try line.exactly(5, file: file)
                stats.calls = values[0]
                (stats.badFormat, stats.badAuthentication, stats.badClient) = (values[2], values[3], values[4])
            case "proc2":
                stats.procedures["2"] = try line.procedureCounts(minimum: NFSProcedures.version2.count, file: file)
            case "proc3":
                stats.procedures["3"] = try line.procedureCounts(minimum: NFSProcedures.version3.count, file: file)
            case "proc4":
                _ = try line.procedureCounts(minimum: 2, file: file)
            case "proc4ops":
                // Operations 0 to 38 exist in every kernel that has NFSv4.
                stats.procedures["4"] = try line.procedureCounts(minimum: 39, file: file)
            default:
                continue
            }
        }
        return stats
    }
}
