import Foundation

/// What the doctor reads from one PostgreSQL server, in one query: the role, the connection
/// slots, the preloaded libraries, archiving, where it listens and its memory settings.
/// Settings come from `pg_settings`, which shows a role without `pg_read_all_settings` a NULL
/// instead of refusing the whole query.
struct PostgresFacts: Sendable, Equatable {
    var versionNumber = 0
    var role = ""
    var superuser = false
    var monitor = false
    /// Member of `pg_use_reserved_connections` (PostgreSQL 16+; false before).
    var useReserved = false
    var maxConnections = 0
    var superuserReserved = 0
    /// `reserved_connections` (PostgreSQL 16+), nil before.
    var reserved: Int?
    var preloadLibraries = ""
    var statementsCreated = false
    var database = ""
    var inRecovery = false
    var archiveMode = "off"
    var archiveCommand: String?
    var archiveLibrary: String?
    var archivedCount = 0
    var failedCount = 0
    /// Unix seconds.
    var lastArchived: Double?
    var lastFailed: Double?
    var lastFailedWAL: String?
    var listenAddresses = ""
    var port = 5432
    var sharedBuffers: Double = 0
    var workMem: Double = 0
    var maintenanceWorkMem: Double = 0
    /// -1: maintenance_work_mem applies.
    var autovacuumWorkMem: Double = -1
    var autovacuumMaxWorkers = 3
    var backendPID = 0

    static let query = """
        WITH s AS (SELECT name, setting, unit FROM pg_settings),
        b AS (SELECT name, (setting::numeric * CASE WHEN coalesce(unit, '') = '' THEN 1
                WHEN unit ~ '^[0-9]' THEN pg_size_bytes(unit) ELSE pg_size_bytes('1' || unit) END)::text AS bytes
              FROM s WHERE name IN ('shared_buffers', 'work_mem', 'maintenance_work_mem', 'autovacuum_work_mem'))
        SELECT
          current_setting('server_version_num') AS version_num,
          current_user::text AS role,
          r.rolsuper::text AS superuser,
          EXISTS (SELECT 1 FROM pg_roles m WHERE m.rolname = 'pg_monitor'
                  AND pg_has_role(current_user, m.oid, 'USAGE'))::text AS monitor,
          EXISTS (SELECT 1 FROM pg_roles m WHERE m.rolname = 'pg_use_reserved_connections'
                  AND pg_has_role(current_user, m.oid, 'USAGE'))::text AS use_reserved,
          (SELECT setting FROM s WHERE name = 'max_connections') AS max_connections,
          (SELECT setting FROM s WHERE name = 'superuser_reserved_connections') AS superuser_reserved,
          (SELECT setting FROM s WHERE name = 'reserved_connections') AS reserved,
          (SELECT setting FROM s WHERE name = 'shared_preload_libraries') AS preload,
          EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'pg_stat_statements')::text AS statements_created,
          current_database()::text AS database,
          pg_is_in_recovery()::text AS in_recovery,
          (SELECT setting FROM s WHERE name = 'archive_mode') AS archive_mode,
          (SELECT setting FROM s WHERE name = 'archive_command') AS archive_command,
          (SELECT setting FROM s WHERE name = 'archive_library') AS archive_library,
          a.archived_count::text AS archived_count,
          a.failed_count::text AS failed_count,
          extract(epoch FROM a.last_archived_time)::text AS last_archived,
          extract(epoch FROM a.last_failed_time)::text AS last_failed,
          a.last_failed_wal::text AS last_failed_wal,
          (SELECT setting FROM s WHERE name = 'listen_addresses') AS listen_addresses,
          (SELECT setting FROM s WHERE name = 'port') AS port,
          (SELECT bytes FROM b WHERE name = 'shared_buffers') AS shared_buffers,
          (SELECT bytes FROM b WHERE name = 'work_mem') AS work_mem,
          (SELECT bytes FROM b WHERE name = 'maintenance_work_mem') AS maintenance_work_mem,
          (SELECT bytes FROM b WHERE name = 'autovacuum_work_mem') AS autovacuum_work_mem,
          (SELECT setting FROM s WHERE name = 'autovacuum_max_workers') AS autovacuum_max_workers,
          pg_backend_pid()::text AS backend_pid
        FROM pg_roles r CROSS JOIN pg_stat_archiver a
        WHERE r.rolname = current_user
        """

    struct Problem: Error, Equatable, CustomStringConvertible {
        var description: String
    }

    /// The facts of the query's one row.
    static func parse(_ table: PostgresTable) throws(Problem) -> PostgresFacts {
        guard let row = table.records.first else { throw Problem(description: "the server returned no row for the doctor's query") }
        func int(_ column: String) -> Int? { row.number(column).flatMap { $0.isFinite ? Int(exactly: $0.rounded()) : nil } }
        var facts = PostgresFacts()
        guard let version = int("version_num") else { throw Problem(description: "the server did not say its version") }
        facts.versionNumber = version
        facts.role = row.label("role")
        facts.superuser = row.bool("superuser") ?? false
        facts.monitor = row.bool("monitor") ?? false
        facts.useReserved = row.bool("use_reserved") ?? false
        facts.maxConnections = int("max_connections") ?? 0
        facts.superuserReserved = int("superuser_reserved") ?? 0
        facts.reserved = int("reserved")
        facts.preloadLibraries = row.label("preload")
        facts.statementsCreated = row.bool("statements_created") ?? false
        facts.database = row.label("database")
        facts.inRecovery = row.bool("in_recovery") ?? false
        facts.archiveMode = row["archive_mode"] ?? "off"
        facts.archiveCommand = row["archive_command"]
        facts.archiveLibrary = row["archive_library"]
        facts.archivedCount = int("archived_count") ?? 0
        facts.failedCount = int("failed_count") ?? 0
        facts.lastArchived = row.number("last_archived")
        facts.lastFailed = row.number("last_failed")
        facts.lastFailedWAL = row["last_failed_wal"]
        facts.listenAddresses = row.label("listen_addresses")
        facts.port = int("port") ?? 5432
        facts.sharedBuffers = row.number("shared_buffers") ?? 0
        facts.workMem = row.number("work_mem") ?? 0
        facts.maintenanceWorkMem = row.number("maintenance_work_mem") ?? 0
        facts.autovacuumWorkMem = row.number("autovacuum_work_mem") ?? -1
        facts.autovacuumMaxWorkers = int("autovacuum_max_workers") ?? 3
        facts.backendPID = int("backend_pid") ?? 0
        return facts
    }

    /// `shared_preload_libraries` as its entries, unquoted.
    var preloaded: [String] {
        preloadLibraries.split(separator: ",").map {
            $0.trimmingCharacters(in: CharacterSet(charactersIn: " \t\""))
        }.filter { !$0.isEmpty }
    }

    /// "15.4"-style text from `server_version_num`.
    var versionText: String { versionNumber >= 100_000 ? "\(versionNumber / 10_000)" : "\(versionNumber / 10_000).\(versionNumber / 100 % 100)" }
}
