import MetricStore

/// Per-service memory, swap, OOM kills, CPU, throttling, IO and pressure from the services' cgroups:
/// so that "postgres grew from 1.2 to 3.6 GiB in four minutes and the app was killed as
/// collateral" shows per service, not only as the host's totals.
///
/// Works on all three cgroup layouts (see `CgroupLayout`): cgroup v2's files where the host
/// has them, the v1 memory, cpuacct, cpu and blkio controllers' where it has those, and the hybrid
/// layout's v2 tree for pressure. A value the host does not offer (memory.peak before Linux
/// 5.19, throttling without a CPU controller, pressure on v1, IO without an io or counting
/// blkio controller, swap without swap accounting) is left out rather than faked.
/// A host without cgroups reports nothing from this collector.
///
/// IO bytes and operations are summed over the service's devices (v2 io.stat, v1 blkio);
/// swap is v2's memory.swap.current, or v1's memory+swap usage less memory usage where swap
/// accounting is on.
///
/// Cardinality is bounded: one series per service and family, at most `maxUnits` services.
public struct CgroupsCollector: Collector {
    public let name = "cgroups"
    private let paths: HostPaths
    private let settings: CgroupSettings

    public init(paths: HostPaths, settings: CgroupSettings = CgroupSettings()) {
        self.paths = paths
        self.settings = settings
    }

    public func collect(into metrics: inout MetricsBuilder) throws {
        guard let layout = CgroupLayout.detect(root: paths.sys("fs/cgroup")) else { return }
        let selection = try select(layout.discoverServices(slices: settings.slices), layout)
        metrics.gauge("scalewatch_cgroup_info", Self.infoHelp, 1, ["mode": layout.mode.rawValue])
        metrics.gauge("scalewatch_service_units", Self.unitsHelp, Double(selection.services.count))
        metrics.gauge("scalewatch_service_units_omitted", Self.omittedHelp, Double(selection.omitted))
        let blkio = try Self.countedBlkioFiles(layout)
        for service in selection.services {
            guard let stats = try Self.read(service, layout, blkio: blkio) else { continue }
            Self.report(stats, unit: Self.unitName(service), into: &metrics)
        }
    }

    /// `system.slice/system-postgresql.slice/postgresql@15-main.service` → `postgresql@15-main.service`.
    static func unitName(_ relativePath: String) -> String {
        String(relativePath.split(separator: "/").last ?? Substring(relativePath))
    }

    /// One cgroup per unit name (a name under two configured slices counts once, the first
    /// in path order), then at most `maxUnits` of them: when there are more, the ones charged
    /// the most memory, so that the service about to be OOM-killed is never the one left out.
    private func select(_ discovered: [String], _ layout: CgroupLayout) throws -> (services: [String], omitted: Int) {
        var seen: Set<String> = []
        let services = discovered.filter { seen.insert(Self.unitName($0)).inserted }
        guard services.count > settings.maxUnits else { return (services, 0) }
        var ranked: [(service: String, bytes: UInt64)] = []
        for service in services {
            ranked.append((service, try Self.memoryBytes(service, layout) ?? 0))
        }
        ranked.sort { $0.bytes != $1.bytes ? $0.bytes > $1.bytes : $0.service < $1.service }
        let kept = ranked.prefix(settings.maxUnits).map(\.service).sorted()
        return (kept, services.count - kept.count)
    }

    private static func memoryBytes(_ service: String, _ layout: CgroupLayout) throws -> UInt64? {
        let file: String
        switch layout.mode {
        case .unified: file = layout.unified! + "/" + service + "/memory.current"
        case .hybrid, .legacy:
            guard let memory = layout.memory else { return nil }
            file = memory + "/" + service + "/memory.usage_in_bytes"
        }
        guard let text = try CgroupFiles.read(file) else { return nil }
        return try CgroupParsing.value(text, file: file)
    }

    // MARK: - Reading one service

    struct ServiceStats: Equatable {
        var memoryBytes: UInt64?
        var memoryPeakBytes: UInt64?
        var memoryLimitBytes: UInt64?
        var anonBytes: UInt64?
        var fileBytes: UInt64?
        var limitHits: UInt64?
        var oomEvents: UInt64?
        var oomKills: UInt64?
        var cpuSeconds: Double?
        var cpuPeriods: UInt64?
        var throttledPeriods: UInt64?
        var throttledSeconds: Double?
        var cpuPressure: CgroupParsing.PressureTotals?
        var memoryPressure: CgroupParsing.PressureTotals?
        var ioPressure: CgroupParsing.PressureTotals?
        var io: CgroupParsing.IOTotals?
        var swapBytes: UInt64?
        var swapLimitBytes: UInt64?
        /// Whether any file of the group was there: a group removed since discovery has none.
        var found = false
    }

    /// nil when the group vanished since it was discovered (the service stopped). `blkio` is
    /// what `countedBlkioFiles` found on a v1 host; without it a v1 service has no IO values.
    static func read(_ service: String, _ layout: CgroupLayout, blkio: BlkioFiles? = nil) throws -> ServiceStats? {
        var stats = ServiceStats()
        switch layout.mode {
        case .unified:
            if let directory = try CgroupDirectory(layout.unified! + "/" + service) {
                try readUnified(directory, into: &stats)
            }
        case .hybrid, .legacy:
            try readLegacy(service, layout, into: &stats)
            if let root = layout.blkio, let blkio, let directory = try CgroupDirectory(root + "/" + service) {
                try readBlkio(directory, blkio, into: &stats)
            }
            if let unified = layout.unified, let directory = try CgroupDirectory(unified + "/" + service) {
                try readPressure(directory, into: &stats)
            }
        }
        return stats.found ? stats : nil
    }

    private static func readUnified(_ directory: CgroupDirectory, into stats: inout ServiceStats) throws {
        stats.memoryBytes = try value(directory, "memory.current", &stats.found)
        stats.memoryPeakBytes = try value(directory, "memory.peak", &stats.found)
        if let text = try directory.read("memory.max") {
            stats.found = true
            stats.memoryLimitBytes = try CgroupParsing.limit(text, file: directory.file("memory.max"))
        }
        if let events = try keyed(directory, "memory.events", ["max", "oom", "oom_kill"], &stats.found) {
            stats.limitHits = events["max"]
            stats.oomEvents = events["oom"]
            stats.oomKills = events["oom_kill"]
        }
        if let memory = try keyed(directory, "memory.stat", ["anon", "file"], &stats.found) {
            stats.anonBytes = memory["anon"]
            stats.fileBytes = memory["file"]
        }
        let cpuKeys = ["usage_usec", "nr_periods", "nr_throttled", "throttled_usec"]
        if let cpu = try keyed(directory, "cpu.stat", cpuKeys, &stats.found) {
            stats.cpuSeconds = cpu["usage_usec"].map { Double($0) / 1e6 }
            stats.cpuPeriods = cpu["nr_periods"]
            stats.throttledPeriods = cpu["nr_throttled"]
            stats.throttledSeconds = cpu["throttled_usec"].map { Double($0) / 1e6 }
        }
        // Present only where the io controller is enabled for the group: absent, not zero, elsewhere.
        if let text = try directory.read("io.stat") {
            stats.found = true
            stats.io = try CgroupParsing.ioStat(text, file: directory.file("io.stat"))
        }
        stats.swapBytes = try value(directory, "memory.swap.current", &stats.found)
        if let text = try directory.read("memory.swap.max") {
            stats.swapLimitBytes = try CgroupParsing.limit(text, file: directory.file("memory.swap.max"))
        }
        try readPressure(directory, into: &stats)
    }

    private static func readLegacy(_ service: String, _ layout: CgroupLayout, into stats: inout ServiceStats) throws {
        if let memory = layout.memory, let directory = try CgroupDirectory(memory + "/" + service) {
            stats.memoryBytes = try value(directory, "memory.usage_in_bytes", &stats.found)
            stats.memoryPeakBytes = try value(directory, "memory.max_usage_in_bytes", &stats.found)
            if let text = try directory.read("memory.limit_in_bytes") {
                stats.found = true
                stats.memoryLimitBytes = try CgroupParsing.legacyLimit(text, file: directory.file("memory.limit_in_bytes"))
            }
            // A group with a memory+swap limit fails its charges on that counter first.
            if let memory = try value(directory, "memory.failcnt", &stats.found) {
                stats.limitHits = memory + (try value(directory, "memory.memsw.failcnt", &stats.found) ?? 0)
            }
            if let control = try keyed(directory, "memory.oom_control", ["oom_kill"], &stats.found) {
                stats.oomKills = control["oom_kill"]
            }
            if let memory = try keyed(directory, "memory.stat", ["total_rss", "total_cache"], &stats.found) {
                stats.anonBytes = memory["total_rss"]
                stats.fileBytes = memory["total_cache"]
            }
            // memory.memsw.* exist only with swap accounting on (swapaccount=1 or the kernel's
            // default): without it swap use is unknown, not zero. The two counters are read
            // one after the other, so a charge in between can put usage above memory+swap for
            // a moment: that is no swap, not a negative amount.
            if let usage = stats.memoryBytes, let memsw = try value(directory, "memory.memsw.usage_in_bytes", &stats.found) {
                stats.swapBytes = memsw > usage ? memsw - usage : 0
            }
        }
        if let cpuacct = layout.cpuacct, let directory = try CgroupDirectory(cpuacct + "/" + service) {
            stats.cpuSeconds = try value(directory, "cpuacct.usage", &stats.found).map { Double($0) / 1e9 }
        }
        // cpu and cpuacct are often one mount (cpu,cpuacct): then the same directory again.
        if let cpu = layout.cpu, let directory = try CgroupDirectory(cpu + "/" + service) {
            let keys = ["nr_periods", "nr_throttled", "throttled_time"]
            if let cpuStat = try keyed(directory, "cpu.stat", keys, &stats.found) {
                stats.cpuPeriods = cpuStat["nr_periods"]
                stats.throttledPeriods = cpuStat["nr_throttled"]
                stats.throttledSeconds = cpuStat["throttled_time"].map { Double($0) / 1e9 }
            }
        }
    }

    /// v1's blkio counter files, in the order they are preferred: the throttle layer's, which
    /// count every bio of the group and its descendants (like v2's io.stat), then the CFQ
    /// scheduler's of kernels before 5.0.
    static let blkioCandidates = [
        BlkioFiles(bytes: "blkio.throttle.io_service_bytes_recursive", operations: "blkio.throttle.io_serviced_recursive"),
        BlkioFiles(bytes: "blkio.throttle.io_service_bytes", operations: "blkio.throttle.io_serviced"),
        BlkioFiles(bytes: "blkio.io_service_bytes_recursive", operations: "blkio.io_serviced_recursive"),
        BlkioFiles(bytes: "blkio.io_service_bytes", operations: "blkio.io_serviced"),
    ]

    struct BlkioFiles: Equatable, Sendable {
        var bytes: String
        var operations: String
    }

    /// The blkio files this host actually counts in, judged by the hierarchy's root: from
    /// Linux 6.10 the throttle layer is set up on a disk only once a throttle limit is
    /// configured on it, and until then every group's files read `Total 0` — a wrong zero for
    /// a service writing all day. A root that lists no device at all has counted nothing
    /// (any host has done disk IO since boot), so then no service gets IO values.
    static func countedBlkioFiles(_ layout: CgroupLayout) throws -> BlkioFiles? {
        guard let root = layout.blkio, let directory = try CgroupDirectory(root) else { return nil }
        for candidate in blkioCandidates {
            guard let text = try directory.read(candidate.bytes) else { continue }
            if try CgroupParsing.blkio(text, file: directory.file(candidate.bytes)).devices > 0 { return candidate }
        }
        return nil
    }

    private static func readBlkio(_ directory: CgroupDirectory, _ files: BlkioFiles, into stats: inout ServiceStats) throws {
        guard let bytesText = try directory.read(files.bytes), let operationsText = try directory.read(files.operations) else {
            return
        }
        stats.found = true
        let bytes = try CgroupParsing.blkio(bytesText, file: directory.file(files.bytes))
        let operations = try CgroupParsing.blkio(operationsText, file: directory.file(files.operations))
        stats.io = CgroupParsing.IOTotals(
            readBytes: bytes.read, writtenBytes: bytes.write, reads: operations.read, writes: operations.write)
    }

    private static func readPressure(_ directory: CgroupDirectory, into stats: inout ServiceStats) throws {
        stats.cpuPressure = try pressure(directory, "cpu.pressure", &stats.found)
        stats.memoryPressure = try pressure(directory, "memory.pressure", &stats.found)
        stats.ioPressure = try pressure(directory, "io.pressure", &stats.found)
    }

    private static func value(_ directory: CgroupDirectory, _ name: String, _ found: inout Bool) throws -> UInt64? {
        guard let text = try directory.read(name) else { return nil }
        found = true
        return try CgroupParsing.value(text, file: directory.file(name))
    }

    private static func keyed(_ directory: CgroupDirectory, _ name: String, _ keys: [String], _ found: inout Bool) throws
        -> [String: UInt64]?
    {
        guard let text = try directory.read(name) else { return nil }
        found = true
        return try CgroupParsing.keyed(text, file: directory.file(name), keys: keys)
    }

    private static func pressure(_ directory: CgroupDirectory, _ name: String, _ found: inout Bool) throws
        -> CgroupParsing.PressureTotals?
    {
        guard let text = try directory.read(name) else { return nil }
        found = true
        return try CgroupParsing.pressureTotals(text, file: directory.file(name))
    }

    // MARK: - Reporting

    static let infoHelp =
        "The cgroup layout the host mounts: unified (v2 only), hybrid (v1 controllers and a v2 tree) or legacy (v1 only)."
    static let unitsHelp = "Services under the configured slices that the cgroups collector reports."
    static let omittedHelp =
        "Services found beyond collectors.cgroups.max_units and not reported (those charged the least memory)."

    static func report(_ stats: ServiceStats, unit: String, into metrics: inout MetricsBuilder) {
        // One label set for all of the service's samples.
        let labels = Labels(sortedUnique: [Label("unit", unit)])
        func gauge(_ name: String, _ help: String, _ value: UInt64?) {
            if let value { metrics.add(name, help, .gauge, Double(value), labels: labels) }
        }
        func counter(_ name: String, _ help: String, _ value: Double?) {
            if let value { metrics.add(name, help, .counter, value, labels: labels) }
        }
        gauge(
            "scalewatch_service_memory_bytes",
            "Memory charged to the service's cgroup, page cache included (v2 memory.current, v1 memory.usage_in_bytes).",
            stats.memoryBytes)
        gauge(
            "scalewatch_service_memory_peak_bytes",
            "The most memory charged to the service's cgroup since it was created "
                + "(v2 memory.peak, Linux 5.19 and later; v1 memory.max_usage_in_bytes).",
            stats.memoryPeakBytes)
        gauge(
            "scalewatch_service_memory_limit_bytes",
            "The service's hard memory limit (v2 memory.max, v1 memory.limit_in_bytes); absent when unlimited.",
            stats.memoryLimitBytes)
        gauge(
            "scalewatch_service_memory_anon_bytes",
            "Anonymous memory (heap, stacks, private mappings) of the service's cgroup (v2 memory.stat anon, v1 total_rss).",
            stats.anonBytes)
        gauge(
            "scalewatch_service_memory_file_bytes",
            "Page cache, tmpfs and shared memory charged to the service's cgroup (v2 memory.stat file, v1 total_cache).",
            stats.fileBytes)
        counter(
            "scalewatch_service_memory_limit_hits_total",
            "Times the service's cgroup reached its memory limit and had to reclaim "
                + "(v2 memory.events max; v1 memory.failcnt plus memory.memsw.failcnt).",
            stats.limitHits.map { Double($0) })
        counter(
            "scalewatch_service_oom_events_total",
            "Times the service's cgroup ran out of memory at its limit (v2 memory.events oom).",
            stats.oomEvents.map { Double($0) })
        counter(
            "scalewatch_service_oom_kills_total",
            "Processes of the service's cgroup killed by the OOM killer "
                + "(v2 memory.events oom_kill, v1 memory.oom_control oom_kill from Linux 4.13).",
            stats.oomKills.map { Double($0) })
        counter(
            "scalewatch_service_cpu_seconds_total",
            "CPU time the service's processes used, user and system (v2 cpu.stat usage_usec, v1 cpuacct.usage).",
            stats.cpuSeconds)
        counter(
            "scalewatch_service_cpu_periods_total",
            "Enforcement periods of the service's CPU quota that have elapsed (cpu.stat nr_periods).",
            stats.cpuPeriods.map { Double($0) })
        counter(
            "scalewatch_service_cpu_throttled_periods_total",
            "Periods in which the service used up its CPU quota and was throttled (cpu.stat nr_throttled).",
            stats.throttledPeriods.map { Double($0) })
        counter(
            "scalewatch_service_cpu_throttled_seconds_total",
            "Time the service's processes spent throttled by its CPU quota (v2 cpu.stat throttled_usec, v1 throttled_time).",
            stats.throttledSeconds)
        counter(
            "scalewatch_service_io_read_bytes_total",
            "Bytes the service's processes read from block devices, summed over devices "
                + "(v2 io.stat rbytes; v1 blkio.throttle.io_service_bytes_recursive Read).",
            stats.io.map { Double($0.readBytes) })
        counter(
            "scalewatch_service_io_written_bytes_total",
            "Bytes the service's processes wrote to block devices, summed over devices "
                + "(v2 io.stat wbytes; v1 blkio.throttle.io_service_bytes_recursive Write).",
            stats.io.map { Double($0.writtenBytes) })
        counter(
            "scalewatch_service_io_reads_total",
            "Read operations the service's processes issued to block devices, summed over devices "
                + "(v2 io.stat rios; v1 blkio.throttle.io_serviced_recursive Read).",
            stats.io.map { Double($0.reads) })
        counter(
            "scalewatch_service_io_writes_total",
            "Write operations the service's processes issued to block devices, summed over devices "
                + "(v2 io.stat wios; v1 blkio.throttle.io_serviced_recursive Write).",
            stats.io.map { Double($0.writes) })
        gauge(
            "scalewatch_service_swap_bytes",
            "Swap used by the service's cgroup (v2 memory.swap.current; v1 memory.memsw.usage_in_bytes less "
                + "memory.usage_in_bytes); absent without swap accounting.",
            stats.swapBytes)
        gauge(
            "scalewatch_service_swap_limit_bytes",
            "The service's swap limit (v2 memory.swap.max); absent when unlimited.",
            stats.swapLimitBytes)
        for (resource, pressure) in [("cpu", stats.cpuPressure), ("io", stats.ioPressure), ("memory", stats.memoryPressure)] {
            guard let pressure else { continue }
            let what = resource == "cpu" ? "CPU time" : resource == "io" ? "IO" : "memory"
            let prefix = "scalewatch_service_pressure_" + resource
            counter(
                prefix + "_waiting_seconds_total",
                "Total time in seconds that processes of the service have waited for \(what) (the cgroup's \(resource).pressure some).",
                pressure.some)
            counter(
                prefix + "_stalled_seconds_total",
                "Total time in seconds no process of the service could make progress for want of \(what) "
                    + "(the cgroup's \(resource).pressure full).",
                pressure.full)
        }
    }
}
