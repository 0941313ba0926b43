/// The agent's settings, as read from `agent.yml` (see `config/agent.yml` for the reference)
/// and overridden by command-line flags.
public struct AgentConfig: Sendable, Equatable {
    public var listenAddress: ListenAddress = .default
    public var dataDirectory: String = "/var/lib/scalewatch"
    /// How often scheduled collections feed the store.
    public var collectionInterval: Duration = .seconds(10)
    /// The oldest collection a scrape of `/metrics` may be served; older triggers a new one.
    public var scrapeMaxAge: Duration = .seconds(1)
    /// How long one collector may run before it is reported as failed.
    public var collectorTimeout: Duration = .seconds(5)
    public var paths = HostPaths()
    public var collectors = CollectorSettings()
    public var storage = StorageSettings()
    public var rules = RuleSettings()
    public var web = WebSettings()
    /// Where alerts go (Notifications/AlertingSettings.swift).
    public var alerting = AlertingSettings()
    public var query = QuerySettings()
    /// Jobs that report their runs over HTTP (CheckIns/CheckInSettings.swift).
    public var checkins = CheckInSettings()

    public init() {}

    public static let minimumCollectionInterval: Duration = .seconds(1)
}

/// Which collectors run and their options. Every collector is on unless turned off.
public struct CollectorSettings: Sendable, Equatable {
    public static let allNames = [
        "cpu", "diskstats", "filefd", "filesystem", "loadavg", "meminfo", "netdev", "netstat", "pressure",
        "processes", "sockstat", "stat", "time", "timex", "uname", "vmstat",
        "arp", "conntrack", "entropy", "netclass", "os", "selinux", "softnet", "udp_queues", "textfile",
        "schedstat", "cpufreq", "thermal_zone", "dmi", "edac", "rapl", "powersupplyclass", "hwmon", "bonding", "mdadm", "nvme",
        "fibrechannel", "infiniband", "ipvs", "nfs", "nfsd", "tapestats",
        "bcache", "btrfs", "xfs", "zfs",
        "cgroups", "top_processes",
        "postgres",
        "journal", "postgres_logs",
        "sockets", "nginx", "access_logs",
    ]

    /// Off by default, as in node_exporter: reading a stat file per process and per thread
    /// costs more than all other collectors together on a busy host.
    /// `postgres` runs once targets are listed under it, `nginx` once its stub_status_url is
    /// set, `access_logs` once sources are.
    public static let disabledByDefault: Set<String> = ["processes", "postgres", "nginx", "access_logs"]

    public var enabled: Set<String> = Set(allNames).subtracting(disabledByDefault)

    // Defaults are node_exporter 1.5's, kept beside each collector, so that the same series
    // exist under both agents.
    public var filesystemMountPointsExclude = FilesystemCollector.defaultMountPointsExclude
    public var filesystemFSTypesExclude = FilesystemCollector.defaultFSTypesExclude
    public var filesystemStatTimeout = FilesystemCollector.defaultStatTimeout
    public var diskstatsDeviceExclude = DiskstatsCollector.defaultDeviceExclude
    public var netdevDeviceExclude: Pattern? = nil
    public var netclassDeviceExclude: Pattern? = nil
    /// `textfile.directory`: where jobs leave `*.prom` files; none by default.
    public var textfileDirectory: String? = nil
    public var netstatFields = NetstatCollector.defaultFields
    public var vmstatFields = VmstatCollector.defaultFields
    /// `cgroups` and `top_processes` (Config/CgroupSettings.swift).
    public var cgroups = CgroupSettings()
    /// `postgres` (Config/PostgresSettings.swift).
    public var postgres = PostgresSettings()
    /// `journal` and `postgres_logs` (Config/JournalSettings.swift).
    public var journal = JournalSettings()
    public var postgresLogs = PostgresLogSettings()
    /// `sockets` (Config/SocketSettings.swift).
    public var sockets = SocketSettings()
    /// `nginx` (Config/NginxSettings.swift).
    public var nginx = NginxSettings()
    /// `access_logs` (Config/AccessLogSettings.swift); runs once sources are listed.
    public var accessLogs = AccessLogSettings()

    public init() {}
}

/// The embedded store's limits and timing.
public struct StorageSettings: Sendable, Equatable {
    /// Blocks ending longer ago than this are deleted.
    public var retentionTime: Duration = .seconds(15 * 86_400)
    /// Blocks may take at most this many bytes…
    public var retentionSize: Int? = 1 << 30
    /// …and at most this share of the file system, whichever is smaller.
    public var retentionFileSystemFraction: Double? = 0.05
    /// The most a power loss can take: the WAL is fsynced this often.
    public var walFlushInterval: Duration = .seconds(1)

    public init() {}
}
