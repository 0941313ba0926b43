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

    public init() {}

    public static let minimumCollectionInterval: Duration = .seconds(1)
}

/// Which collectors run and their options. Every collector is on unless turned off.
public struct CollectorSettings: Sendable, Equatable {
    public static let allNames = [
        "cpu", "diskstats", "filefd", "filesystem", "loadavg", "meminfo", "netdev", "netstat", "pressure",
        "processes", "sockstat", "stat", "time", "timex", "uname", "vmstat",
    ]

    public var enabled: Set<String> = Set(allNames)

    // Defaults are node_exporter 1.5's, so that the same series exist under both agents.
    public var filesystemMountPointsExclude = try! Pattern(
        "^/(dev|proc|run/credentials/.+|sys|var/lib/docker/.+|var/lib/containers/storage/.+)($|/)")
    public var filesystemFSTypesExclude = try! Pattern(
        "^(autofs|binfmt_misc|bpf|cgroup2?|configfs|debugfs|devpts|devtmpfs|fusectl|hugetlbfs|iso9660|mqueue|nsfs|overlay|proc|procfs|pstore|rpc_pipefs|securityfs|selinuxfs|squashfs|sysfs|tracefs)$"
    )
    public var filesystemStatTimeout: Duration = .seconds(5)
    public var diskstatsDeviceExclude = try! Pattern("^(ram|loop|fd|(h|s|v|xv)d[a-z]|nvme\\d+n\\d+p)\\d+$")
    public var netdevDeviceExclude: Pattern? = nil
    public var netstatFields = try! Pattern(
        "^(.*_(InErrors|InErrs)|Ip_Forwarding|Ip(6|Ext)_(InOctets|OutOctets)|Icmp6?_(InMsgs|OutMsgs)|TcpExt_(Listen.*|Syncookies.*|TCPSynRetrans|TCPTimeouts)|Tcp_(ActiveOpens|InSegs|OutSegs|OutRsts|PassiveOpens|RetransSegs|CurrEstab)|Udp6?_(InDatagrams|OutDatagrams|NoPorts|RcvbufErrors|SndbufErrors))$"
    )
    public var vmstatFields = try! Pattern("^(oom_kill|pgpg|pswp|pg.*fault).*")

    public init() {}
}
