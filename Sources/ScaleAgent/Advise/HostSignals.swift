import MetricStore

/// The key series of every stage's signature on one host, over the window: what the signature
/// readers judge. A series the host does not have (no PostgreSQL, no access log) is absent.
struct HostSignals: Sendable {
    /// A series of one labelled thing (a PostgreSQL server, a mount point, an OOM victim).
    struct Labelled: Sendable {
        var labels: Labels
        var trend: SeriesTrend
    }

    /// A counter's growth over the window, and when it first grew.
    struct Increase: Sendable, Equatable {
        var labels: Labels
        var amount: Double
        /// Unix milliseconds of the first step at which it had grown.
        var firstAt: Int64
    }

    /// An OOM victim the journal named (the last one per process and cgroup).
    struct OOMVictim: Sendable, Equatable {
        var process: String
        var pid: String
        var cgroup: String
        /// Unix milliseconds.
        var time: Int64
        var rssBytes: Double?
    }

    var host: String
    /// Busy share of all CPUs (0…1), as HostCPUSaturated computes it.
    var cpuBusy: SeriesTrend?
    /// Five-minute load per CPU.
    var loadPerCore: SeriesTrend?
    var memoryAvailable: SeriesTrend?
    var memoryTotal: Double?
    var oomKills: Increase?
    var oomVictims: [OOMVictim] = []
    /// `pg_up` exists: PostgreSQL runs (or is watched) here.
    var postgresServers: [String] = []
    var connectionUse: [Labelled] = []
    var clientBackends: [Labelled] = []
    var maxConnections: [Labelled] = []
    var connectionRefusals: [Increase] = []
    var oldestLockWait: [Labelled] = []
    var replicationLag: [Labelled] = []
    var listenOverflows: Increase?
    var filesystemAvailable: [Labelled] = []
    var filesystemSize: [Labelled] = []
    /// Memory charged to each systemd service (`unit`).
    var serviceMemory: [Labelled] = []
    /// Per virtual host, from the access log, where traffic is over 0.1 request/s: the share of
    /// 5xx answers, the share of 504s, and the 95th percentile of request time.
    var errorRatio: [Labelled] = []
    var timeoutRatio: [Labelled] = []
    var latencyP95: [Labelled] = []
    /// Established connections to each remote endpoint (`remote`).
    var upstreamConnections: [Labelled] = []
    var alerts: [AdviseAlert] = []
    var events: [AdviseEvent] = []

    /// Whether this host runs the database (its agent watches a PostgreSQL server).
    var isDatabaseHost: Bool { !postgresServers.isEmpty }
}
