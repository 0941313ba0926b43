import MetricStore

/// bcache SSD caches in front of disks, from /sys/fs/bcache/<set-uuid>/ under node_exporter's
/// `bcache` names: per cache set its btree and congestion, per backing device its dirty data
/// and writeback rate and lifetime hit/miss counts, per cache device its writes and I/O
/// errors. A cache with no room for dirty data (`node_bcache_cache_available_percent` low)
/// turns every write into a disk write. Skipped without the bcache module.
///
/// As in node_exporter's default, `priority_stats` is not read: the kernel walks every bucket
/// of the cache to produce it.
public struct BcacheCollector: Collector {
    public let name = "bcache"
    private let paths: HostPaths

    public init(paths: HostPaths) { self.paths = paths }

    public func collect(into metrics: inout MetricsBuilder) throws {
        let root = paths.sys("fs/bcache")
        // Cache sets are named by UUID; the directory also holds `register` and friends.
        guard let sets = try FileReading.directoryEntries(atPath: root)?.filter({ $0.contains("-") }) else { return }
        for uuid in sets {
            try collectSet(root + "/" + uuid, uuid: uuid, into: &metrics)
        }
    }

    private func collectSet(_ directory: String, uuid: String, into metrics: inout MetricsBuilder) throws {
        let set = Labels(["uuid": uuid])
        func gauge(_ name: String, _ help: String, _ file: String, scale: Double = 1) throws {
            metrics.add("node_bcache_" + name, help, .gauge, try value(directory + "/" + file) * scale, labels: set)
        }
        try gauge("average_key_size_sectors", "Average data per key in the btree (sectors).", "average_key_size")
        try gauge("btree_cache_size_bytes", "Amount of memory currently used by the btree cache.", "btree_cache_size")
        try gauge(
            "cache_available_percent",
            "Percentage of cache device without dirty data, usable for writeback (may contain clean cached data).",
            "cache_available_percent")
        try gauge("congested", "Congestion.", "congested")
        try gauge(
            "root_usage_percent", "Percentage of the root btree node in use (tree depth increases if too high).",
            "root_usage_percent")
        try gauge("tree_depth", "Depth of the btree.", "tree_depth")
        try gauge("active_journal_entries", "Number of journal entries that are newer than the index.", "internal/active_journal_entries")
        try gauge("btree_nodes", "Total nodes in the btree.", "internal/btree_nodes")
        // The file holds microseconds; node_exporter scales it as nanoseconds, and the same
        // number here keeps its dashboards' readings.
        try gauge(
            "btree_read_average_duration_seconds", "Average btree read duration.", "internal/btree_read_average_duration_us",
            scale: 1e-9)
        metrics.add(
            "node_bcache_cache_read_races_total",
            "Counts instances where while data was being read from the cache, the bucket was reused and invalidated - i.e. where the pointer was stale after the read completed.",
            .counter, try value(directory + "/internal/cache_read_races"), labels: set)

        let entries = try FileReading.directoryEntries(atPath: directory) ?? []
        for bdev in entries where Self.isNumbered(bdev, prefix: "bdev") {
            try collectBackingDevice(directory + "/" + bdev, uuid: uuid, name: bdev, into: &metrics)
        }
        for cache in entries where Self.isNumbered(cache, prefix: "cache") {
            let labels = Labels(["uuid": uuid, "cache_device": cache])
            let dir = directory + "/" + cache
            metrics.add(
                "node_bcache_io_errors", "Number of errors that have occurred, decayed by io_error_halflife.", .gauge,
                try value(dir + "/io_errors"), labels: labels)
            metrics.add(
                "node_bcache_metadata_written_bytes_total", "Sum of all non data writes (btree writes and all other metadata).",
                .counter, try value(dir + "/metadata_written"), labels: labels)
            metrics.add(
                "node_bcache_written_bytes_total", "Sum of all data that has been written to the cache.", .counter,
                try value(dir + "/written"), labels: labels)
        }
    }

    private func collectBackingDevice(_ dir: String, uuid: String, name: String, into metrics: inout MetricsBuilder) throws {
        let labels = Labels(["uuid": uuid, "backing_device": name])
        let debugFile = dir + "/writeback_rate_debug"
        let rate = try BcacheValue.writebackRate(FileReading.string(atPath: debugFile), file: debugFile)
        let gauges: [(String, String, Double)] = [
            ("dirty_data_bytes", "Amount of dirty data for this backing device in the cache.", try value(dir + "/dirty_data")),
            ("dirty_target_bytes", "Current dirty data target threshold for this backing device in bytes.", Double(rate.target)),
            ("writeback_rate", "Current writeback rate for this backing device in bytes.", Double(rate.rate)),
            (
                "writeback_rate_proportional_term", "Current result of proportional controller, part of writeback rate",
                Double(rate.proportional)
            ),
            ("writeback_rate_integral_term", "Current result of integral controller, part of writeback rate", Double(rate.integral)),
            ("writeback_change", "Last writeback rate change step for this backing device.", Double(rate.change)),
        ]
        for (metric, help, number) in gauges {
            metrics.add("node_bcache_" + metric, help, .gauge, number, labels: labels)
        }
        let totals: [(String, String, String)] = [
            ("bypassed_bytes_total", "Amount of IO (both reads and writes) that has bypassed the cache.", "bypassed"),
            ("cache_hits_total", "Hits counted per individual IO as bcache sees them.", "cache_hits"),
            ("cache_misses_total", "Misses counted per individual IO as bcache sees them.", "cache_misses"),
            ("cache_bypass_hits_total", "Hits for IO intended to skip the cache.", "cache_bypass_hits"),
            ("cache_bypass_misses_total", "Misses for IO intended to skip the cache.", "cache_bypass_misses"),
            (
                "cache_miss_collisions_total",
                "Instances where data insertion from cache miss raced with write (data already present).", "cache_miss_collisions"
            ),
            ("cache_readaheads_total", "Count of times readahead occurred.", "cache_readaheads"),
        ]
        for (metric, help, file) in totals {
            metrics.add("node_bcache_" + metric, help, .counter, try value(dir + "/stats_total/" + file), labels: labels)
        }
    }

    /// A sysfs value; 0 where the kernel has no such file (older kernels lack some), as in
    /// node_exporter.
    private func value(_ path: String) throws -> Double {
        guard let text = try FileReading.optionalString(atPath: path) else { return 0 }
        var trimmed = Substring(text)
        while trimmed.last == "\n" || trimmed.last == " " { trimmed.removeLast() }
        return Double(try BcacheValue.unsigned(trimmed, file: path))
    }

    /// `bdev0`, `cache1`: a prefix, then a digit.
    static func isNumbered(_ name: String, prefix: String) -> Bool {
        guard name.hasPrefix(prefix), let next = name.dropFirst(prefix.count).first else { return false }
        return next.isASCII && next.isNumber
    }
}
