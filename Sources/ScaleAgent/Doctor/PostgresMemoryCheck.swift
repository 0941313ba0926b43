import Foundation

/// PostgreSQL's memory settings against the host's RAM: `shared_buffers` is allocated at start,
/// every connection may take `work_mem` (per sort or hash, so this is a floor of the worst
/// case, not a ceiling), and each autovacuum worker `autovacuum_work_mem` (or
/// `maintenance_work_mem`). Stage 1's OOM cascade starts when that sum exceeds MemTotal.
///
/// Thresholds: up to 100% of MemTotal PASS; above 100% WARN (a busy hour can exhaust memory);
/// above 200% FAIL (ordinary load can).
enum PostgresMemoryCheck {
    static let name = "postgres.memory"

    static func check(_ facts: PostgresFacts, memTotal: Double, server: String) -> DoctorCheck {
        let vacuumMem = facts.autovacuumWorkMem > 0 ? facts.autovacuumWorkMem : facts.maintenanceWorkMem
        let connections = Double(facts.maxConnections) * facts.workMem
        let vacuum = Double(facts.autovacuumMaxWorkers) * vacuumMem
        let total = facts.sharedBuffers + connections + vacuum
        guard memTotal > 0 else { return .skip(name, server, "MemTotal unknown") }
        let ratio = total / memTotal
        let evidence = "shared_buffers \(bytes(facts.sharedBuffers)) + max_connections \(facts.maxConnections) × work_mem \(bytes(facts.workMem)) + autovacuum_max_workers \(facts.autovacuumMaxWorkers) × \(bytes(vacuumMem)) = \(bytes(total)), \(Int((ratio * 100).rounded()))% of MemTotal \(bytes(memTotal))"
        if ratio <= 1 { return .pass(name, server, evidence) }
        // The work_mem at which the sum fits in MemTotal, if lowering it alone is enough.
        let room = memTotal - facts.sharedBuffers - vacuum
        let fittingWorkMem = facts.maxConnections > 0 ? room / Double(facts.maxConnections) : 0
        let fix = fittingWorkMem >= 0x1p20
            ? "work_mem = '\(Int(fittingWorkMem) >> 20)MB' (SELECT pg_reload_conf();), or fewer max_connections behind a pooler (pgbouncer)"
            : "fewer max_connections behind a pooler (pgbouncer), and shared_buffers at most 25% of RAM (\(bytes(memTotal / 4)))"
        return ratio > 2 ? .fail(name, server, evidence, fix: fix) : .warn(name, server, evidence, fix: fix)
    }

    /// Binary units, as PostgreSQL prints its memory settings.
    static func bytes(_ value: Double) -> String {
        let units = ["B", "kB", "MB", "GB", "TB"]
        var scaled = value
        var unit = 0
        // Whole units stay exact (128MB); larger values are shown with one decimal.
        while unit < units.count - 1 && (scaled >= 10 * 1024 || scaled >= 1024 && scaled.truncatingRemainder(dividingBy: 1024) == 0) {
            scaled /= 1024
            unit += 1
        }
        return scaled == scaled.rounded() ? "\(Int(scaled))\(units[unit])" : String(format: "%.1f", scaled) + units[unit]
    }
}
