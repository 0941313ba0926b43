/// What the first query of every refresh learns about the server: its version (which decides
/// the other queries' columns), its role (primary or standby), its connection limits and
/// whether pg_stat_statements is installed in the connected database.
struct PostgresServerInfo: Sendable, Equatable {
    /// `server_version_num`: 150018 for 15.18, 130000 for 13.0.
    var versionNumber: Int
    /// `version()`, the long form.
    var version: String
    var inRecovery: Bool
    var maxConnections: Double
    var superuserReservedConnections: Double
    /// `reserved_connections` (16+, for roles granted pg_use_reserved_connections).
    var reservedConnections: Double?
    var maxPreparedTransactions: Double
    var postmasterStartTime: Double?
    /// Where pg_stat_statements is installed and its version, if it is.
    var statements: Statements?

    struct Statements: Sendable, Equatable {
        var schema: String
        var version: String

        /// 1.8 (PostgreSQL 13) renamed `total_time` to `total_exec_time`; an extension left at
        /// an older version on a newer server keeps the old name until ALTER EXTENSION UPDATE.
        var execTimeColumn: String {
            let parts = version.split(separator: ".").compactMap { Int($0) }
            let (major, minor) = (parts.first ?? 0, parts.count > 1 ? parts[1] : 0)
            return (major, minor) >= (1, 8) ? "total_exec_time" : "total_time"
        }
    }

    static let minimumVersion = 130_000

    var majorVersion: Int { versionNumber / 10_000 }

    /// postgres_exporter's `short_version`: 15.18 → "15.18.0".
    var shortVersion: String { "\(versionNumber / 10_000).\(versionNumber % 10_000).0" }

    /// Connections ordinary roles may open: what `sorry, too many clients already` counts against.
    var ordinaryConnectionLimit: Double {
        max(0, maxConnections - superuserReservedConnections - (reservedConnections ?? 0))
    }

    static let query = """
        SELECT current_setting('server_version_num') AS version_num, version() AS version,
          pg_is_in_recovery()::text AS in_recovery,
          current_setting('max_connections') AS max_connections,
          current_setting('superuser_reserved_connections') AS superuser_reserved_connections,
          current_setting('reserved_connections', true) AS reserved_connections,
          current_setting('max_prepared_transactions') AS max_prepared_transactions,
          extract(epoch FROM pg_postmaster_start_time())::float8::text AS postmaster_start_time,
          (SELECT n.nspname::text FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace
           WHERE e.extname = 'pg_stat_statements') AS statements_schema,
          (SELECT extversion::text FROM pg_extension WHERE extname = 'pg_stat_statements') AS statements_version
        """

    enum Problem: Error, Equatable, CustomStringConvertible {
        case noRow
        case missing(String)
        case unsupportedVersion(Int)

        var description: String {
            switch self {
            case .noRow: "the server query returned no row"
            case .missing(let column): "the server query returned no usable \(column)"
            case .unsupportedVersion(let number):
                "PostgreSQL \(number / 10_000) is older than 13, the oldest version this collector supports"
            }
        }
    }

    static func parse(_ table: PostgresTable) throws(Problem) -> PostgresServerInfo {
        guard let row = table.records.first else { throw .noRow }
        func required(_ column: String) throws(Problem) -> Double {
            guard let value = row.number(column) else { throw .missing(column) }
            return value
        }
        guard let versionText = row["version_num"], let versionNumber = Int(versionText) else {
            throw .missing("version_num")
        }
        guard versionNumber >= minimumVersion else { throw .unsupportedVersion(versionNumber) }
        guard let inRecovery = row.bool("in_recovery") else { throw .missing("in_recovery") }
        var statements: Statements?
        if let schema = row["statements_schema"], let version = row["statements_version"] {
            statements = Statements(schema: schema, version: version)
        }
        return PostgresServerInfo(
            versionNumber: versionNumber, version: row.label("version"), inRecovery: inRecovery,
            maxConnections: try required("max_connections"),
            superuserReservedConnections: try required("superuser_reserved_connections"),
            reservedConnections: row.number("reserved_connections"),
            maxPreparedTransactions: try required("max_prepared_transactions"),
            postmasterStartTime: row.number("postmaster_start_time"), statements: statements)
    }
}
