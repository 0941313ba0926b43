/// Which the OOM killer takes first, the database or the application: it kills the process
/// with the highest `oom_score`. A killed backend makes the postmaster restart every session
/// (crash recovery), so the database being first turns one memory spike into an outage of
/// everything that uses it (stage 1 of DESIGN.md).
enum OOMScoreCheck {
    static let name = "postgres.oom_score"
    /// How many of the largest other processes stand for "the application".
    static let applicationProcesses = 3

    static func check(postmaster: Int, table: ProcessTable, excluding own: Int, server: String) -> DoctorCheck {
        guard let main = table.process(postmaster) else {
            return .skip(name, server, "the postmaster (pid \(postmaster)) is not visible in /proc")
        }
        let database = table.processes.filter { $0.pid == postmaster || $0.parent == postmaster }
        let databasePIDs = Set(database.map(\.pid))
        let applications = table.processes
            .filter { !databasePIDs.contains($0.pid) && $0.pid != own && $0.residentBytes > 0 }
            .sorted { $0.residentBytes > $1.residentBytes }
            .prefix(applicationProcesses)
        let worst = database.max { $0.oomScore < $1.oomScore } ?? main
        let postmasterText = "postmaster pid \(main.pid) oom_score \(main.oomScore) (oom_score_adj \(main.oomScoreAdj))"
            + (worst.pid != main.pid ? ", its highest-scored process \(worst.name) pid \(worst.pid) oom_score \(worst.oomScore)" : "")
        guard let top = applications.max(by: { $0.oomScore < $1.oomScore }) else {
            return .pass(name, server, "\(postmasterText); no other process holds memory")
        }
        let apps = applications.map {
            "\($0.name) pid \($0.pid) \(PostgresMemoryCheck.bytes(($0.residentBytes / 1_048_576).rounded() * 1_048_576)) oom_score \($0.oomScore)"
        }.joined(separator: ", ")
        let evidence = "\(postmasterText); largest other processes: \(apps)"
        if worst.oomScore > top.oomScore {
            return .warn(
                name, server, evidence + ": the OOM killer would take PostgreSQL first",
                fix: "protect the postmaster: OOMScoreAdjust=-900 in PostgreSQL's unit (systemctl edit postgresql@VERSION-main), with Environment=PG_OOM_ADJUST_FILE=/proc/self/oom_score_adj PG_OOM_ADJUST_VALUE=0 so backends stay killable; or raise the application's (OOMScoreAdjust=300 in its unit)")
        }
        return .pass(name, server, evidence)
    }
}
