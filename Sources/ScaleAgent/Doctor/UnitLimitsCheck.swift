import MetricStore

/// The agent's own systemd limits against its config: the agent must outlive the incident it
/// reports, without becoming one. Three lines:
///
/// - `MemoryMax`: missing or `infinity` is a WARN (a leak would compete with the database);
///   below 128 MiB a WARN too (a busy host's head, rule evaluation and queries need more, and
///   the kernel would kill the agent mid-incident).
/// - `LimitNOFILE`: its hard limit (the agent raises the soft one to it) must cover
///   `web.max_connections` plus the 256 descriptors kept for collectors, the store and
///   PostgreSQL (`FileDescriptorLimit`); unset means systemd's 1024:524288, which does.
/// - `CPUQuota` under 10% is a WARN (collections and rule evaluation miss their interval);
///   neither `CPUQuota` nor `CPUWeight` is a WARN (the agent competes with the workload).
enum UnitLimitsCheck {
    static let memoryFloor = Double(128 << 20)
    /// systemd's default `LimitNOFILE` hard limit.
    static let systemdDefaultHardNOFILE = 524_288

    static func check(_ unit: SystemdUnitSettings, webMaxConnections: Int, memTotal: Double) -> [DoctorCheck] {
        let subject = unit.files.joined(separator: " + ")
        return [memory(unit, memTotal: memTotal, subject), files(unit, webMaxConnections: webMaxConnections, subject), cpu(unit, subject)]
    }

    static func memory(_ unit: SystemdUnitSettings, memTotal: Double, _ subject: String) -> DoctorCheck {
        let name = "agent.unit.memory"
        guard let text = unit["MemoryMax"], text != "infinity" else {
            return .warn(name, subject, "no MemoryMax: a leak in the agent would compete with the database for memory", fix: "MemoryMax=256M and MemoryHigh=192M in [Service]")
        }
        let limit = text.hasSuffix("%") ? Double(text.dropLast()).map { $0 / 100 * memTotal } : SystemdUnitSettings.bytes(text)
        guard let limit else {
            return .warn(name, subject, "MemoryMax=\(text) is not a size systemd understands", fix: "MemoryMax=256M in [Service]")
        }
        let shown = "MemoryMax=\(text) (\(PostgresMemoryCheck.bytes(limit.rounded())))"
        if limit < memoryFloor {
            return .warn(
                name, subject, "\(shown) is below \(PostgresMemoryCheck.bytes(memoryFloor)): the kernel would kill the agent during the incident it should report",
                fix: "MemoryMax=256M in [Service]")
        }
        return .pass(name, subject, shown + (unit["MemoryHigh"].map { ", MemoryHigh=\($0)" } ?? ""))
    }

    static func files(_ unit: SystemdUnitSettings, webMaxConnections: Int, _ subject: String) -> DoctorCheck {
        let name = "agent.unit.nofile"
        let needed = webMaxConnections + FileDescriptorLimit.reserve
        guard let text = unit["LimitNOFILE"] else {
            return .pass(
                name, subject,
                "LimitNOFILE unset: systemd's 1024:\(systemdDefaultHardNOFILE), and the agent raises its soft limit to the hard one, above web.max_connections \(webMaxConnections) + \(FileDescriptorLimit.reserve)")
        }
        guard let (_, hard) = SystemdUnitSettings.fileLimits(text) else {
            return .warn(name, subject, "LimitNOFILE=\(text) is not a limit systemd understands", fix: "LimitNOFILE=\(roundedUp(needed))")
        }
        if hard < needed {
            return .warn(
                name, subject,
                "LimitNOFILE=\(text): HTTP gets \(FileDescriptorLimit.httpShare(of: hard)) connections, fewer than web.max_connections \(webMaxConnections) (\(FileDescriptorLimit.reserve) descriptors are kept for collectors, the store and PostgreSQL)",
                fix: "LimitNOFILE=\(roundedUp(needed)) in [Service], or web.max_connections: \(FileDescriptorLimit.httpShare(of: hard))")
        }
        return .pass(name, subject, "LimitNOFILE=\(text) covers web.max_connections \(webMaxConnections) + \(FileDescriptorLimit.reserve)")
    }

    static func cpu(_ unit: SystemdUnitSettings, _ subject: String) -> DoctorCheck {
        let name = "agent.unit.cpu"
        if let quota = unit["CPUQuota"] {
            guard quota.hasSuffix("%"), let percent = Double(quota.dropLast()) else {
                return .warn(name, subject, "CPUQuota=\(quota) is not a percentage", fix: "CPUQuota=50% or remove it and keep CPUWeight=20")
            }
            if percent < 10 {
                return .warn(
                    name, subject, "CPUQuota=\(quota): collections and rule evaluation need bursts above it and would miss their interval",
                    fix: "CPUQuota=50%, or remove it and keep CPUWeight=20")
            }
            return .pass(name, subject, "CPUQuota=\(quota)" + (unit["CPUWeight"].map { ", CPUWeight=\($0)" } ?? ""))
        }
        if let weight = unit["CPUWeight"] {
            return .pass(name, subject, "no CPUQuota; CPUWeight=\(weight) lets the workload go first when the CPU is contended")
        }
        return .warn(name, subject, "neither CPUQuota nor CPUWeight: the agent competes with the workload at equal weight", fix: "CPUWeight=20 in [Service]")
    }

    private static func roundedUp(_ value: Int) -> Int { (value + 1023) / 1024 * 1024 }

    /// The installed unit and its drop-ins, else the shipped `config/scalewatch.service` under
    /// the working directory; nil when there is neither.
    static func readUnit(etc: String = "/etc/systemd/system", shipped: String = "config/scalewatch.service") -> SystemdUnitSettings? {
        var unit = SystemdUnitSettings()
        let installed = [etc, "/usr/local/lib/systemd/system", "/lib/systemd/system", "/usr/lib/systemd/system"].map { "\($0)/scalewatch.service" }
        guard let main = (installed + [shipped]).first(where: { PosixFileSystem().exists($0) }),
            let text = try? FileReading.string(atPath: main)
        else { return nil }
        unit.merge(text, file: main)
        guard main != shipped else { return unit }
        let dropIns = "\(etc)/scalewatch.service.d"
        for file in ((try? PosixFileSystem().list(dropIns)) ?? []) where file.hasSuffix(".conf") {
            if let text = try? FileReading.string(atPath: "\(dropIns)/\(file)") { unit.merge(text, file: "\(dropIns)/\(file)") }
        }
        return unit
    }
}
