/// WAL archiving: a failing `archive_command` keeps every WAL segment in `pg_wal` until the
/// disk is full, and backups taken meanwhile cannot be restored past the last archived segment.
///
/// `archive_mode = off` on a primary is a WARN, not a PASS: whether point-in-time recovery is
/// wanted cannot be read from the server, and a silent PASS would hide the case where it was
/// expected. The line says how to decide.
enum PostgresArchivingCheck {
    static func check(_ facts: PostgresFacts, server: String, now: Double) -> DoctorCheck {
        let name = "postgres.archiving"
        let archives = facts.archiveMode == "always" || (facts.archiveMode == "on" && !facts.inRecovery)
        if !archives {
            if facts.inRecovery {
                return .pass(name, server, "standby with archive_mode = \(facts.archiveMode): archiving is the primary's job")
            }
            return .warn(
                name, server, "archive_mode = off on a primary: no WAL archive, point-in-time recovery is impossible",
                fix: "archive_mode = on and archive_command = 'test ! -f /ARCHIVE/%f && cp %p /ARCHIVE/%f' (or a backup tool's) in postgresql.conf (restart); ignore if base backups alone are the plan")
        }
        let command = facts.archiveCommand ?? ""
        let library = facts.archiveLibrary ?? ""
        if facts.archiveCommand != nil && command.isEmpty && library.isEmpty {
            return .fail(
                name, server, "archive_mode = \(facts.archiveMode) but archive_command is empty: WAL segments pile up in pg_wal and are never removed",
                fix: "set archive_command (e.g. 'cp %p /ARCHIVE/%f') in postgresql.conf and SELECT pg_reload_conf();")
        }
        let counts = "archived \(facts.archivedCount), failed \(facts.failedCount)"
        let lastOK = facts.lastArchived.map { "last archived \(age(now - $0)) ago" } ?? "nothing archived yet"
        if let failed = facts.lastFailed, facts.failedCount > 0, failed > (facts.lastArchived ?? -.infinity) {
            return .fail(
                name, server,
                "archiver failing: \(counts); last failure \(age(now - failed)) ago\(facts.lastFailedWAL.map { " (WAL \($0))" } ?? ""), \(lastOK)",
                fix: "run the archive_command '\(command)' by hand as the postgres user on that segment; the server log says why it fails")
        }
        return .pass(name, server, "archive_mode = \(facts.archiveMode): \(counts); \(lastOK)" + (facts.failedCount > 0 ? "; no failure since" : ""))
    }

    static func age(_ seconds: Double) -> String {
        let s = max(0, Int(seconds.rounded()))
        if s < 120 { return "\(s)s" }
        if s < 7_200 { return "\(s / 60)m" }
        if s < 172_800 { return "\(s / 3_600)h" }
        return "\(s / 86_400)d"
    }
}
