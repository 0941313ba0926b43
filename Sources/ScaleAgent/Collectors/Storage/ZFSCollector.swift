import MetricStore

/// OpenZFS statistics from /proc/spl/kstat/zfs under node_exporter's `zfs` names: the ARC
/// (`node_zfs_arc_*`: size, hits, misses, memory throttles), the ZIL, prefetch, dbuf, dnode
/// and DMU counters, and per pool its I/O (`node_zfs_zpool_*{zpool}`), its datasets'
/// operations (`node_zfs_zpool_dataset_*{zpool,dataset}`) and its state
/// (`node_zfs_zpool_state{zpool,state}`, a DEGRADED pool runs without redundancy).
/// As in node_exporter the kstat counters are untyped and named after the kstat; a kstat
/// file the module version lacks is skipped, and everything without the zfs module.
public struct ZFSCollector: Collector {
    public let name = "zfs"
    private let paths: HostPaths

    public init(paths: HostPaths) { self.paths = paths }

    /// node_exporter's subsystems and the kstat file each reads. For `zfs_dbuf` 1.5 reads
    /// `dbuf_stats`, a file OpenZFS does not have, and so exports nothing; the kstat is
    /// `dbufstats`, the name node_exporter reads since its fix (prometheus/node_exporter#2687).
    static let kstats: [(subsystem: String, file: String)] = [
        ("zfs_abd", "abdstats"), ("zfs_arc", "arcstats"), ("zfs_dbuf", "dbufstats"), ("zfs_dmu_tx", "dmu_tx"),
        ("zfs_dnode", "dnodestats"), ("zfs_fm", "fm"), ("zfs_vdev_cache", "vdev_cache_stats"),
        ("zfs_vdev_mirror", "vdev_mirror_stats"), ("zfs_xuio", "xuio_stats"), ("zfs_zfetch", "zfetchstats"), ("zfs_zil", "zil"),
    ]

    static let poolStates = ["online", "degraded", "faulted", "offline", "removed", "unavail"]

    public func collect(into metrics: inout MetricsBuilder) throws {
        let root = paths.proc("spl/kstat/zfs")
        guard let entries = try FileReading.directoryEntries(atPath: root) else { return }
        for (subsystem, fileName) in Self.kstats {
            let file = root + "/" + fileName
            guard let text = try FileReading.optionalString(atPath: file) else { continue }
            for counter in try ZFSKstat.named(text, file: file).counters {
                metrics.untyped(
                    "node_\(subsystem)_\(counter.metricName)", "kstat.zfs.misc.\(fileName).\(counter.name)", Double(counter.value))
            }
        }
        // Pools are the directories; reading a file below a plain file finds nothing.
        for pool in entries {
            try collectPool(root + "/" + pool, pool: pool, into: &metrics)
        }
    }

    private func collectPool(_ directory: String, pool: String, into metrics: inout MetricsBuilder) throws {
        let ioFile = directory + "/io"
        if let text = try FileReading.optionalString(atPath: ioFile) {
            let labels = Labels(["zpool": pool])
            for counter in try ZFSKstat.io(text, file: ioFile) {
                metrics.add(
                    "node_zfs_zpool_" + counter.metricName, "kstat.zfs.misc.io." + counter.name, .untyped, Double(counter.value),
                    labels: labels)
            }
        }
        for objset in try FileReading.directoryEntries(atPath: directory) ?? [] where objset.hasPrefix("objset-") {
            let file = directory + "/" + objset
            // A dataset unmounted between listing and reading is gone, not an error.
            guard let text = try FileReading.optionalString(atPath: file) else { continue }
            let (counters, dataset) = try ZFSKstat.named(text, file: file)
            let labels = Labels(["zpool": pool, "dataset": dataset ?? ""])
            for counter in counters {
                metrics.add(
                    "node_zfs_zpool_dataset_" + counter.metricName, "kstat.zfs.misc.objset." + counter.name, .untyped,
                    Double(counter.value), labels: labels)
            }
        }
        let stateFile = directory + "/state"
        if let text = try FileReading.optionalString(atPath: stateFile) {
            let state = try ZFSKstat.state(text, file: stateFile)
            for candidate in Self.poolStates {
                metrics.add(
                    "node_zfs_zpool_state", "kstat.zfs.misc.state", .gauge, candidate == state ? 1 : 0,
                    labels: Labels(["zpool": pool, "state": candidate]))
            }
        }
    }
}
