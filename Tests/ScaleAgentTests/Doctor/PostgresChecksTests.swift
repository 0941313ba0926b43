import Testing

@testable import ScaleAgent

/// The PostgreSQL checks' decisions on facts written by hand: numbers in, verdict and remedy out.
@Suite struct PostgresChecksTests {
    static func facts(_ configure: (inout PostgresFacts) -> Void = { _ in }) -> PostgresFacts {
        // A healthy PostgreSQL 15 seen by a pg_monitor role.
        var facts = PostgresFacts()
        facts.versionNumber = 150_004
        facts.role = "scalewatch"
        facts.monitor = true
        facts.maxConnections = 100
        facts.superuserReserved = 3
        facts.preloadLibraries = "pg_stat_statements"
        facts.statementsCreated = true
        facts.database = "app"
        facts.archiveMode = "on"
        facts.archiveCommand = "cp %p /archive/%f"
        facts.archiveLibrary = ""
        facts.archivedCount = 10
        facts.lastArchived = 1_000
        facts.listenAddresses = "localhost"
        facts.sharedBuffers = 128 * 1_048_576
        facts.workMem = 4 * 1_048_576
        facts.maintenanceWorkMem = 64 * 1_048_576
        configure(&facts)
        return facts
    }

    struct RoleCase: Sendable, CustomTestStringConvertible {
        var label: String
        var superuser: Bool
        var monitor: Bool
        var status: DoctorCheck.Status
        var fix: String?
        var testDescription: String { label }
    }

    @Test(arguments: [
        RoleCase(label: "pg_monitor member", superuser: false, monitor: true, status: .pass, fix: nil),
        RoleCase(label: "superuser", superuser: true, monitor: true, status: .warn, fix: "CREATE ROLE scalewatch LOGIN PASSWORD '…' IN ROLE pg_monitor"),
        RoleCase(label: "neither", superuser: false, monitor: false, status: .fail, fix: "GRANT pg_monitor TO scalewatch;"),
    ])
    func role(_ row: RoleCase) {
        let check = PostgresRoleChecks.role(Self.facts { $0.superuser = row.superuser; $0.monitor = row.monitor }, server: "db:5432")
        #expect(check.status == row.status)
        #expect(check.name == "postgres.role")
        if let fix = row.fix { #expect(check.remedy?.contains(fix) == true, "\(check.remedy ?? "")") } else { #expect(check.remedy == nil) }
    }

    struct SlotCase: Sendable, CustomTestStringConvertible {
        var label: String
        var version: Int
        var superuser: Bool
        var superuserReserved: Int
        var reserved: Int?
        var useReserved: Bool
        var status: DoctorCheck.Status
        var says: String
        var testDescription: String { label }
    }

    @Test(arguments: [
        SlotCase(label: "15, superuser with reserved slots", version: 150_004, superuser: true, superuserReserved: 3, reserved: nil, useReserved: false, status: .pass, says: "one of 3 reserved slots"),
        SlotCase(label: "15, superuser without", version: 150_004, superuser: true, superuserReserved: 0, reserved: nil, useReserved: false, status: .warn, says: "superuser_reserved_connections = 3"),
        SlotCase(label: "15, pg_monitor role", version: 150_004, superuser: false, superuserReserved: 3, reserved: nil, useReserved: false, status: .warn, says: "superusers only"),
        SlotCase(label: "16, member with reserved", version: 160_001, superuser: false, superuserReserved: 3, reserved: 3, useReserved: true, status: .pass, says: "may use the 3 reserved_connections"),
        SlotCase(label: "16, not a member", version: 160_001, superuser: false, superuserReserved: 3, reserved: 3, useReserved: false, status: .warn, says: "GRANT pg_use_reserved_connections TO scalewatch;"),
        SlotCase(label: "16, member but none reserved", version: 160_001, superuser: false, superuserReserved: 3, reserved: 0, useReserved: true, status: .warn, says: "ALTER SYSTEM SET reserved_connections = 3"),
    ])
    func reservedSlot(_ row: SlotCase) {
        let facts = Self.facts {
            $0.versionNumber = row.version
            $0.superuser = row.superuser
            $0.superuserReserved = row.superuserReserved
            $0.reserved = row.reserved
            $0.useReserved = row.useReserved
        }
        let check = PostgresRoleChecks.reservedSlot(facts, server: "db:5432")
        #expect(check.status == row.status)
        #expect((check.evidence + (check.remedy ?? "")).contains(row.says), "\(check)")
    }

    @Test(arguments: [
        ("pg_stat_statements", true, DoctorCheck.Status.pass, nil as String?),
        ("\"pg_stat_statements\", auto_explain", true, .pass, nil),
        ("pg_stat_statements", false, .warn, "CREATE EXTENSION pg_stat_statements;"),
        ("", false, .warn, "shared_preload_libraries = 'pg_stat_statements' in postgresql.conf (restart), then CREATE EXTENSION"),
        ("auto_explain", true, .warn, "shared_preload_libraries = 'auto_explain,pg_stat_statements'"),
    ])
    func statements(preload: String, created: Bool, status: DoctorCheck.Status, fix: String?) {
        let check = PostgresStatementsCheck.check(Self.facts { $0.preloadLibraries = preload; $0.statementsCreated = created }, server: "db")
        #expect(check.status == status)
        if let fix { #expect(check.remedy?.contains(fix) == true, "\(check.remedy ?? "")") }
    }

    struct ArchiveCase: Sendable, CustomTestStringConvertible {
        var label: String
        var mode = "on"
        var recovery = false
        var command: String? = "cp %p /archive/%f"
        var archived: Double? = 1_000
        var failed: Double? = nil
        var failures = 0
        var status: DoctorCheck.Status
        var says: String
        var testDescription: String { label }
    }

    @Test(arguments: [
        ArchiveCase(label: "archiving", status: .pass, says: "archived 10, failed 0; last archived 16m ago"),
        ArchiveCase(label: "failed before the last success", failed: 900, failures: 2, status: .pass, says: "no failure since"),
        ArchiveCase(label: "failing since the last success", failed: 1_500, failures: 4, status: .fail, says: "archiver failing: archived 10, failed 4; last failure 8m ago, last archived 16m ago"),
        ArchiveCase(label: "failing, never archived", archived: nil, failed: 1_900, failures: 1, status: .fail, says: "nothing archived yet"),
        ArchiveCase(label: "on, nothing to archive yet", archived: nil, status: .pass, says: "nothing archived yet"),
        ArchiveCase(label: "empty archive_command", command: "", status: .fail, says: "archive_command is empty"),
        ArchiveCase(label: "off on a primary", mode: "off", status: .warn, says: "point-in-time recovery is impossible"),
        ArchiveCase(label: "off on a standby", mode: "off", recovery: true, status: .pass, says: "the primary's job"),
        ArchiveCase(label: "on, on a standby", mode: "on", recovery: true, status: .pass, says: "the primary's job"),
        ArchiveCase(label: "always, on a standby, failing", mode: "always", recovery: true, failed: 1_500, failures: 1, status: .fail, says: "archiver failing"),
    ])
    func archiving(_ row: ArchiveCase) {
        let facts = Self.facts {
            $0.archiveMode = row.mode
            $0.inRecovery = row.recovery
            $0.archiveCommand = row.command
            $0.lastArchived = row.archived
            $0.lastFailed = row.failed
            $0.failedCount = row.failures
        }
        let check = PostgresArchivingCheck.check(facts, server: "db", now: 2_000)
        #expect(check.status == row.status)
        #expect(check.evidence.contains(row.says), "\(check.evidence)")
        #expect((check.status == .pass) == (check.remedy == nil))
    }

    @Test(arguments: [
        // ratio → status: at most 100% passes, above 200% fails.
        (16.0, DoctorCheck.Status.pass), (0.5, .warn), (0.25, .fail),
    ])
    func memory(memTotalGiB: Double, status: DoctorCheck.Status) {
        // 128MB + 100 × 4MB + 3 × 64MB = 720MB.
        let check = PostgresMemoryCheck.check(Self.facts(), memTotal: memTotalGiB * 1_073_741_824, server: "db")
        #expect(check.status == status)
        #expect(check.evidence.contains("shared_buffers 128MB + max_connections 100 × work_mem 4MB + autovacuum_max_workers 3 × 64MB = 720MB"), "\(check.evidence)")
    }

    @Test func memoryRemedyNamesTheWorkMemThatFits() {
        // 2 GiB of RAM, max_connections 100 × work_mem 64MB: 6720 MB, 328%.
        let facts = Self.facts { $0.workMem = 64 * 1_048_576 }
        let check = PostgresMemoryCheck.check(facts, memTotal: 2 * 1_073_741_824, server: "db")
        #expect(check.status == .fail)
        #expect(check.evidence.hasSuffix("= 6720MB, 328% of MemTotal 2GB"), "\(check.evidence)")
        // (2048 − 128 − 192) MB / 100 = 17.28 MB.
        #expect(check.remedy?.hasPrefix("work_mem = '17MB'") == true, "\(check.remedy ?? "")")
    }

    @Test func autovacuumWorkMemReplacesMaintenanceWorkMem() {
        let check = PostgresMemoryCheck.check(Self.facts { $0.autovacuumWorkMem = 256 * 1_048_576 }, memTotal: 16 * 1_073_741_824, server: "db")
        #expect(check.evidence.contains("autovacuum_max_workers 3 × 256MB"), "\(check.evidence)")
    }

    @Test(arguments: [(0.0, "0B"), (1024.0, "1kB"), (1536.0, "1536B"), (128.0 * 1_048_576, "128MB"), (23.5 * 1_073_741_824, "23.5GB")] as [(Double, String)])
    func bytes(_ value: Double, _ text: String) {
        #expect(PostgresMemoryCheck.bytes(value) == text)
    }

    @Test func factsParseFromTheQuerysText() throws {
        let columns = ["version_num", "role", "superuser", "monitor", "use_reserved", "max_connections", "reserved", "preload", "last_archived", "shared_buffers", "backend_pid"]
        let row: [String?] = ["160002", "scalewatch", "false", "true", "true", "100", "3", "pg_stat_statements, \"auto_explain\"", "1733500000.5", "134217728", "4242"]
        let facts = try PostgresFacts.parse(PostgresTable(columns: columns, rows: [row]))
        #expect(facts.versionNumber == 160_002)
        #expect(facts.versionText == "16")
        #expect(facts.monitor && facts.useReserved && !facts.superuser)
        #expect(facts.reserved == 3)
        #expect(facts.preloaded == ["pg_stat_statements", "auto_explain"])
        #expect(facts.lastArchived == 1_733_500_000.5)
        #expect(facts.lastFailed == nil)
        #expect(facts.sharedBuffers == 134_217_728)
        #expect(facts.backendPID == 4242)
    }

    @Test func factsWithoutARowOrVersionAreAClearError() {
        #expect(throws: PostgresFacts.Problem.self) { try PostgresFacts.parse(PostgresTable(columns: ["role"], rows: [])) }
        #expect(throws: PostgresFacts.Problem(description: "the server did not say its version")) {
            try PostgresFacts.parse(PostgresTable(columns: ["role"], rows: [["x"]]))
        }
    }
}
