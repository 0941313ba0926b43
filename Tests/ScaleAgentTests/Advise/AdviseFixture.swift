import MetricStore
import TestSupport

@testable import ScaleAgent

/// A real store in a temp directory holding the series one host's agent would have written
/// over a window, built from functions of time: what a stage's signature looks like in the
/// store, without an agent.
final class AdviseHost {
    let name: String
    let directory = TestDirectory(prefix: "advise-test")
    let store: Store
    private var batch: [(labels: Labels, sample: Sample)] = []
    let window: AdviseWindow

    /// 2026-12-06T12:00:00Z.
    static let noon: Int64 = 1_796_558_400_000
    static let minute: Int64 = 60_000
    static let hour: Int64 = 3_600_000
    static let gibibyte = 1_073_741_824.0
    static let mebibyte = 1_048_576.0

    init(_ name: String, window: AdviseWindow) throws {
        self.name = name
        self.window = window
        store = try Store.open(directory: directory.path)
    }

    var source: AdviseSource { .store(store, name: name) }

    /// `value(t)` every 15 s across the window (and the 10 minutes before it, so that `rate`
    /// has history at the first step); nil leaves a gap.
    func series(_ labels: KeyValuePairs<String, String>, _ value: (Int64) -> Double?) {
        let labels = Labels(labels)
        var time = window.start - 10 * Self.minute
        while time <= window.end {
            if let value = value(time) { batch.append((labels, Sample(timestamp: time, value: value))) }
            time += 15_000
        }
    }

    /// `node_cpu_seconds_total` of `cpus` CPUs whose busy share at time t is `busy(t)`.
    func cpu(cpus: Int = 2, busy: @escaping (Int64) -> Double) {
        for cpu in 0..<cpus {
            for (mode, share) in [("user", busy), ("idle", { 1 - busy($0) })] {
                var total = 0.0
                var last = window.start - 10 * Self.minute
                series(["__name__": "node_cpu_seconds_total", "cpu": "\(cpu)", "mode": mode]) { time in
                    total += share(time) * Double(time - last) / 1000
                    last = time
                    return total
                }
            }
        }
    }

    func memory(total: Double, available: @escaping (Int64) -> Double) {
        series(["__name__": "node_memory_MemTotal_bytes"]) { _ in total }
        series(["__name__": "node_memory_MemAvailable_bytes"], available)
    }

    /// A PostgreSQL server `db` with `max_connections` 100, 3 reserved, and `clients(t)` client
    /// backends.
    func postgres(clients: @escaping (Int64) -> Double) {
        series(["__name__": "pg_up", "server": "db"]) { _ in 1 }
        series(["__name__": "pg_settings_max_connections", "server": "db"]) { _ in 100 }
        series(["__name__": "pg_stat_activity_client_backends", "server": "db"], clients)
        series(["__name__": "pg_connections_utilization_ratio", "server": "db"]) { clients($0) / 97 }
    }

    func filesystem(_ mountpoint: String, size: Double, available: @escaping (Int64) -> Double) {
        series(["__name__": "node_filesystem_size_bytes", "device": "/dev/sda1", "fstype": "ext4", "mountpoint": mountpoint]) { _ in size }
        series(["__name__": "node_filesystem_avail_bytes", "device": "/dev/sda1", "fstype": "ext4", "mountpoint": mountpoint], available)
    }

    /// Writes what was built.
    func commit() {
        store.append(batch)
        batch = []
    }

    func remove() {
        store.close()
        directory.remove()
    }

    /// Builds the hosts, advises over them, removes them.
    static func advise(_ hosts: [AdviseHost], extra: [AdviseSource] = []) async -> AdviseReport {
        for host in hosts { host.commit() }
        defer { hosts.forEach { $0.remove() } }
        return await Advisor.advise(hosts.map(\.source) + extra, window: hosts[0].window)
    }
}
