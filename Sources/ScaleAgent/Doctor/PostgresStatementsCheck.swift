/// `pg_stat_statements`: without it the hot-query signature (stages 4 and 6) has no data. It
/// needs both halves: the library loaded at server start and the extension created in the
/// database the agent connects to.
enum PostgresStatementsCheck {
    static func check(_ facts: PostgresFacts, server: String) -> DoctorCheck {
        let name = "postgres.pg_stat_statements"
        let loaded = facts.preloaded.contains("pg_stat_statements")
        let libraries = "shared_preload_libraries = '\(facts.preloadLibraries)'"
        switch (loaded, facts.statementsCreated) {
        case (true, true):
            return .pass(name, server, "\(libraries) and the extension exists in database \(facts.database)")
        case (true, false):
            return .warn(
                name, server, "\(libraries) but the extension is not created in database \(facts.database): the hot-query data is missing",
                fix: "CREATE EXTENSION pg_stat_statements; (in database \(facts.database))")
        case (false, let created):
            let list = (facts.preloaded + ["pg_stat_statements"]).joined(separator: ",")
            return .warn(
                name, server,
                "\(libraries) lacks pg_stat_statements\(created ? " (the extension exists but cannot work)" : ""): the hot-query data is missing",
                fix: "shared_preload_libraries = '\(list)' in postgresql.conf (restart)" + (created ? "" : ", then CREATE EXTENSION pg_stat_statements; in database \(facts.database)"))
        }
    }
}
