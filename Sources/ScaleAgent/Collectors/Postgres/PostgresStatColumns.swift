/// A statistics view's numeric columns and the metric each becomes: one list per view, from
/// which both the SQL (only the columns the server's version has) and the mapping come, so the
/// two can never disagree.
struct PostgresStatColumn: Sendable {
    let column: String
    let metric: String
    let type: MetricType
    let help: String
    /// The first `server_version_num` that has the column.
    var since = 0
    /// The last one that has it (pg_stat_bgwriter lost its checkpoint columns in 17).
    var until = Int.max
    /// The SQL for the value when it is not the column itself (timestamps become epoch seconds).
    var expression: String?

    func present(in version: Int) -> Bool { version >= since && version <= until }

    var selectItem: String { "(\(expression ?? column))::text AS \(column)" }

    static func epoch(_ column: String) -> String { "extract(epoch FROM \(column))::float8" }
}

enum PostgresStatViews {
    /// `pg_stat_database`, under postgres_exporter 0.11's names and types.
    static let database: [PostgresStatColumn] = [
        .init(column: "numbackends", metric: "pg_stat_database_numbackends", type: .gauge,
              help: "Number of backends currently connected to this database."),
        .init(column: "xact_commit", metric: "pg_stat_database_xact_commit", type: .counter,
              help: "Number of transactions in this database that have been committed."),
        .init(column: "xact_rollback", metric: "pg_stat_database_xact_rollback", type: .counter,
              help: "Number of transactions in this database that have been rolled back."),
        .init(column: "blks_read", metric: "pg_stat_database_blks_read", type: .counter,
              help: "Number of disk blocks read in this database."),
        .init(column: "blks_hit", metric: "pg_stat_database_blks_hit", type: .counter,
              help: "Number of times disk blocks were found already in the buffer cache."),
        .init(column: "tup_returned", metric: "pg_stat_database_tup_returned", type: .counter,
              help: "Number of rows returned by queries in this database."),
        .init(column: "tup_fetched", metric: "pg_stat_database_tup_fetched", type: .counter,
              help: "Number of rows fetched by queries in this database."),
        .init(column: "tup_inserted", metric: "pg_stat_database_tup_inserted", type: .counter,
              help: "Number of rows inserted by queries in this database."),
        .init(column: "tup_updated", metric: "pg_stat_database_tup_updated", type: .counter,
              help: "Number of rows updated by queries in this database."),
        .init(column: "tup_deleted", metric: "pg_stat_database_tup_deleted", type: .counter,
              help: "Number of rows deleted by queries in this database."),
        .init(column: "conflicts", metric: "pg_stat_database_conflicts", type: .counter,
              help: "Number of queries canceled due to conflicts with recovery in this database."),
        .init(column: "temp_files", metric: "pg_stat_database_temp_files", type: .counter,
              help: "Number of temporary files created by queries in this database."),
        .init(column: "temp_bytes", metric: "pg_stat_database_temp_bytes", type: .counter,
              help: "Total amount of data written to temporary files by queries in this database."),
        .init(column: "deadlocks", metric: "pg_stat_database_deadlocks", type: .counter,
              help: "Number of deadlocks detected in this database."),
        .init(column: "checksum_failures", metric: "pg_stat_database_checksum_failures", type: .untyped,
              help: "Number of data page checksum failures detected in this database."),
        .init(column: "checksum_last_failure", metric: "pg_stat_database_checksum_last_failure", type: .untyped,
              help: "Time of the last data page checksum failure, in seconds since the epoch.",
              expression: PostgresStatColumn.epoch("checksum_last_failure")),
        .init(column: "blk_read_time", metric: "pg_stat_database_blk_read_time", type: .counter,
              help: "Time spent reading data file blocks by backends in this database, in milliseconds."),
        .init(column: "blk_write_time", metric: "pg_stat_database_blk_write_time", type: .counter,
              help: "Time spent writing data file blocks by backends in this database, in milliseconds."),
        .init(column: "session_time", metric: "pg_stat_database_session_time", type: .untyped,
              help: "Time spent by database sessions in this database, in milliseconds.", since: 140_000),
        .init(column: "active_time", metric: "pg_stat_database_active_time", type: .untyped,
              help: "Time spent executing SQL statements in this database, in milliseconds.", since: 140_000),
        .init(column: "idle_in_transaction_time", metric: "pg_stat_database_idle_in_transaction_time", type: .untyped,
              help: "Time spent idling while in a transaction in this database, in milliseconds.", since: 140_000),
        .init(column: "sessions", metric: "pg_stat_database_sessions", type: .untyped,
              help: "Total number of sessions established to this database.", since: 140_000),
        .init(column: "sessions_abandoned", metric: "pg_stat_database_sessions_abandoned", type: .untyped,
              help: "Sessions to this database terminated because the connection to the client was lost.", since: 140_000),
        .init(column: "sessions_fatal", metric: "pg_stat_database_sessions_fatal", type: .untyped,
              help: "Sessions to this database terminated by fatal errors.", since: 140_000),
        .init(column: "sessions_killed", metric: "pg_stat_database_sessions_killed", type: .untyped,
              help: "Sessions to this database terminated by operator intervention.", since: 140_000),
        .init(column: "stats_reset", metric: "pg_stat_database_stats_reset", type: .counter,
              help: "Time at which these statistics were last reset, in seconds since the epoch.",
              expression: PostgresStatColumn.epoch("stats_reset")),
    ]

    /// `pg_stat_database_conflicts` (queries canceled on a standby), postgres_exporter's names.
    static let conflicts: [PostgresStatColumn] = [
        ("confl_tablespace", "dropped tablespaces", 0),
        ("confl_lock", "lock timeouts", 0),
        ("confl_snapshot", "old snapshots", 0),
        ("confl_bufferpin", "pinned buffers", 0),
        ("confl_deadlock", "deadlocks", 0),
        ("confl_active_logicalslot", "logical slots too old for the standby", 160_000),
    ].map { column, reason, since in
        PostgresStatColumn(
            column: column, metric: "pg_stat_database_conflicts_\(column)", type: .counter,
            help: "Queries in this database canceled on a standby because of \(reason).", since: since)
    }

    /// `pg_stat_bgwriter`: everything until 16; from 17 the checkpoint columns live in
    /// `pg_stat_checkpointer` and the backend-write columns in `pg_stat_io`.
    static let bgwriter: [PostgresStatColumn] = [
        ("checkpoints_timed", "Scheduled checkpoints that have been performed.", 0, 169_999),
        ("checkpoints_req", "Requested checkpoints that have been performed.", 0, 169_999),
        ("checkpoint_write_time", "Time spent writing checkpoint files to disk, in milliseconds.", 0, 169_999),
        ("checkpoint_sync_time", "Time spent synchronizing checkpoint files to disk, in milliseconds.", 0, 169_999),
        ("buffers_checkpoint", "Buffers written during checkpoints.", 0, 169_999),
        ("buffers_clean", "Buffers written by the background writer.", 0, Int.max),
        ("maxwritten_clean", "Times the background writer stopped a cleaning scan for writing too many buffers.", 0, Int.max),
        ("buffers_backend", "Buffers written directly by a backend.", 0, 169_999),
        ("buffers_backend_fsync", "Times a backend had to execute its own fsync call.", 0, 169_999),
        ("buffers_alloc", "Buffers allocated.", 0, Int.max),
    ].map { column, help, since, until in
        PostgresStatColumn(
            column: column, metric: "pg_stat_bgwriter_\(column)_total", type: .counter, help: help, since: since, until: until)
    } + [
        PostgresStatColumn(
            column: "stats_reset", metric: "pg_stat_bgwriter_stats_reset_total", type: .counter,
            help: "Time at which these statistics were last reset, in seconds since the epoch.",
            expression: PostgresStatColumn.epoch("stats_reset")),
    ]

    /// `pg_stat_checkpointer` (17+), under postgres_exporter's names.
    static let checkpointer: [PostgresStatColumn] = [
        ("num_timed", "Scheduled checkpoints due to timeout."),
        ("num_requested", "Requested checkpoints."),
        ("restartpoints_timed", "Scheduled restartpoints due to timeout or after a failed attempt."),
        ("restartpoints_req", "Requested restartpoints."),
        ("restartpoints_done", "Restartpoints that have been performed."),
        ("write_time", "Time spent writing checkpoint and restartpoint files to disk, in milliseconds."),
        ("sync_time", "Time spent synchronizing checkpoint and restartpoint files to disk, in milliseconds."),
        ("buffers_written", "Buffers written during checkpoints and restartpoints."),
    ].map { column, help in
        PostgresStatColumn(column: column, metric: "pg_stat_checkpointer_\(column)_total", type: .counter, help: help, since: 170_000)
    } + [
        PostgresStatColumn(
            column: "stats_reset", metric: "pg_stat_checkpointer_stats_reset_total", type: .counter,
            help: "Time at which these statistics were last reset, in seconds since the epoch.", since: 170_000,
            expression: PostgresStatColumn.epoch("stats_reset")),
    ]

    /// `pg_stat_wal` (14+): WAL generated by this server.
    static let wal: [PostgresStatColumn] = [
        ("wal_records", "pg_stat_wal_records_total", "WAL records generated."),
        ("wal_fpi", "pg_stat_wal_fpi_total", "WAL full page images generated."),
        ("wal_bytes", "pg_stat_wal_bytes_total", "WAL generated, in bytes."),
        ("wal_buffers_full", "pg_stat_wal_buffers_full_total", "Times WAL data was written to disk because WAL buffers became full."),
    ].map { column, metric, help in
        PostgresStatColumn(column: column, metric: metric, type: .counter, help: help, since: 140_000)
    }

    /// `pg_stat_archiver`, postgres_exporter's names.
    static let archiver: [PostgresStatColumn] = [
        .init(column: "archived_count", metric: "pg_stat_archiver_archived_count", type: .counter,
              help: "Number of WAL files that have been successfully archived."),
        .init(column: "failed_count", metric: "pg_stat_archiver_failed_count", type: .counter,
              help: "Number of failed attempts for archiving WAL files."),
        .init(column: "last_archive_age", metric: "pg_stat_archiver_last_archive_age", type: .gauge,
              help: "Seconds since the last WAL file was successfully archived.",
              expression: "extract(epoch FROM now() - last_archived_time)::float8"),
        .init(column: "last_failed_age", metric: "pg_stat_archiver_last_failed_age_seconds", type: .gauge,
              help: "Seconds since the last failed attempt to archive a WAL file.",
              expression: "extract(epoch FROM now() - last_failed_time)::float8"),
    ]

    /// The select list for a version: label columns first, then the view's numeric columns.
    static func selectList(_ columns: [PostgresStatColumn], version: Int, labels: [String] = []) -> String {
        (labels + columns.filter { $0.present(in: version) }.map(\.selectItem)).joined(separator: ", ")
    }
}

extension PostgresMetrics {
    /// One sample per present, non-NULL column of each row, with the given label columns.
    mutating func add(
        _ columns: [PostgresStatColumn], from table: PostgresTable, labels labelColumns: [String] = []
    ) {
        for record in table.records {
            let labels = labelColumns.map { ($0, record.label($0)) }
            for column in columns {
                guard let value = record.number(column.column) else { continue }
                add(column.metric, column.help, column.type, value, labels)
            }
        }
    }
}
