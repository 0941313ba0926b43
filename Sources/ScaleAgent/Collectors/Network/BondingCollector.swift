#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Bonded interfaces from /sys/class/net under node_exporter's `bonding` names: configured
/// and active (MII status `up`) slaves per master. A bond running on one of two links has lost
/// its redundancy without any traffic symptom. Skipped without the bonding driver.
public struct BondingCollector: Collector {
    public let name = "bonding"
    private let paths: HostPaths

    public init(paths: HostPaths) { self.paths = paths }

    public func collect(into metrics: inout MetricsBuilder) throws {
        let root = paths.sys("class/net")
        guard let masters = try FileReading.optionalString(atPath: root + "/bonding_masters") else { return }
        for master in masters.split(whereSeparator: { $0 == " " || $0 == "\n" }).map(String.init) {
            let slaves = try FileReading.string(atPath: root + "/" + master + "/bonding/slaves")
            var states: [String] = []
            for slave in slaves.split(whereSeparator: { $0 == " " || $0 == "\n" }) {
                // `lower_<slave>` since Linux 4.x; `slave_<slave>` before.
                let lower = root + "/" + master + "/lower_\(slave)/bonding_slave/mii_status"
                let older = root + "/" + master + "/slave_\(slave)/bonding_slave/mii_status"
                guard let state = try FileReading.optionalString(atPath: lower) ?? FileReading.optionalString(atPath: older) else {
                    throw FileReadError(path: lower, errno: ENOENT)
                }
                states.append(state)
            }
            let counts = Self.count(states)
            metrics.gauge("node_bonding_slaves", "Number of configured slaves per bonding interface.", Double(counts.slaves), ["master": master])
            metrics.gauge("node_bonding_active", "Number of active slaves per bonding interface.", Double(counts.active), ["master": master])
        }
    }

    /// mii_status files' texts (`up\n`, `down\n`) → configured and active counts.
    static func count(_ states: [String]) -> (slaves: Int, active: Int) {
        (states.count, states.filter { $0.split(whereSeparator: { $0 == " " || $0 == "\n" }).first == "up" }.count)
    }
}
