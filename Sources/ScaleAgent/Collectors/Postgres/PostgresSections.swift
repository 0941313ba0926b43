/// The monitoring queries, one per section, and how each one's rows become metrics. Every
/// query casts its columns to text (see `PostgresTable`). A section that fails (a missing
/// privilege, a timeout) costs only its own metrics.
enum PostgresSection: String, CaseIterable, Sendable {
    case activity
    case activitySummary = "activity_summary"
    case waitEvents = "wait_events"
    case applications
    case locks
    case lockWaits = "lock_waits"
    case blocking
    case database
    case databaseConflicts = "database_conflicts"
    case bgwriter
    case checkpointer
    case wal
    case archiver
    case replication
    case replicationSlots = "replication_slots"
    case standby
    case preparedXacts = "prepared_xacts"
    case databaseAge = "database_age"
    case databaseSize = "database_size"
    case tables
    case statements

    /// The SQL for this server, or nil when the section does not apply to it.
    func sql(_ info: PostgresServerInfo, _ target: PostgresTarget) -> String? {
        let version = info.versionNumber
        switch self {
        case .activity: return PostgresSQL.activity
        case .activitySummary: return PostgresSQL.activitySummary
        case .waitEvents: return PostgresSQL.waitEvents
        case .applications: return PostgresSQL.applications
        case .locks: return PostgresSQL.locks
        case .lockWaits: return PostgresSQL.lockWaits(version: version)
        case .blocking: return PostgresSQL.blocking
        case .database:
            return "SELECT \(PostgresStatViews.selectList(PostgresStatViews.database, version: version, labels: ["datid::text AS datid", "datname::text AS datname"])) FROM pg_stat_database"
        case .databaseConflicts:
            return "SELECT \(PostgresStatViews.selectList(PostgresStatViews.conflicts, version: version, labels: ["datid::text AS datid", "datname::text AS datname"])) FROM pg_stat_database_conflicts"
        case .bgwriter:
            return "SELECT \(PostgresStatViews.selectList(PostgresStatViews.bgwriter, version: version)) FROM pg_stat_bgwriter"
        case .checkpointer:
            guard version >= 170_000 else { return nil }
            return "SELECT \(PostgresStatViews.selectList(PostgresStatViews.checkpointer, version: version)) FROM pg_stat_checkpointer"
        case .wal: return PostgresSQL.wal(version: version)
        case .archiver:
            return "SELECT \(PostgresStatViews.selectList(PostgresStatViews.archiver, version: version)) FROM pg_stat_archiver"
        case .replication: return PostgresSQL.replication
        case .replicationSlots: return PostgresSQL.replicationSlots(version: version)
        case .standby: return info.inRecovery ? PostgresSQL.standby : nil
        case .preparedXacts: return PostgresSQL.preparedXacts
        case .databaseAge: return PostgresSQL.databaseAge
        case .databaseSize: return PostgresSQL.databaseSize
        case .tables: return target.topTables > 0 ? PostgresSQL.tables(limit: target.topTables) : nil
        case .statements: return nil  // ranked against the window's baseline: see PostgresStatementsSQL
        }
    }
}

/// The SQL texts that do not come from a column list.
enum PostgresSQL {
    /// postgres_exporter's pg_stat_activity query: every database × every state, zeros included.
    static let activity = """
        SELECT d.datname::text AS datname, s.state, COALESCE(a.count, 0)::text AS count,
          COALESCE(a.max_tx_duration, 0)::text AS max_tx_duration
        FROM pg_database d
        CROSS JOIN (VALUES ('active'), ('idle'), ('idle in transaction'), ('idle in transaction (aborted)'),
          ('fastpath function call'), ('disabled')) AS s(state)
        LEFT JOIN (SELECT datname, state, count(*) AS count,
            max(extract(epoch FROM now() - xact_start))::float8 AS max_tx_duration
          FROM pg_stat_activity GROUP BY datname, state) a ON a.datname = d.datname AND a.state = s.state
        """

    static let activitySummary = """
        SELECT count(*) FILTER (WHERE backend_type = 'client backend')::text AS client_backends,
          COALESCE(max(extract(epoch FROM now() - xact_start))
            FILTER (WHERE backend_type = 'client backend' AND pid <> pg_backend_pid()), 0)::float8::text AS oldest_xact_age,
          COALESCE(max(extract(epoch FROM now() - state_change))
            FILTER (WHERE state IN ('idle in transaction', 'idle in transaction (aborted)')), 0)::float8::text
            AS oldest_idle_in_transaction_age
        FROM pg_stat_activity
        """

    /// Every wait event type a client backend can show, zeros included: a type that comes and
    /// goes between collections would move every later series in the store's append batch.
    static let waitEvents = """
        SELECT wait_event_type, COALESCE(a.count, 0)::text AS count
        FROM (VALUES ('none'), ('Activity'), ('BufferPin'), ('Client'), ('Extension'), ('IO'), ('IPC'), ('Lock'),
          ('LWLock'), ('Timeout')) AS t(wait_event_type)
        FULL JOIN (SELECT COALESCE(wait_event_type, 'none')::text AS wait_event_type, count(*) AS count
          FROM pg_stat_activity WHERE backend_type = 'client backend' AND pid <> pg_backend_pid() GROUP BY 1) a
          USING (wait_event_type)
        ORDER BY 1
        """

    static let applications = """
        SELECT COALESCE(application_name, '')::text AS application_name, count(*)::text AS count
        FROM pg_stat_activity WHERE backend_type = 'client backend' GROUP BY 1
        """

    /// postgres_exporter's pg_locks query: every database × every mode, zeros included.
    static let locks = """
        SELECT d.datname::text AS datname, m.mode, COALESCE(l.count, 0)::text AS count
        FROM pg_database d
        CROSS JOIN (VALUES ('accesssharelock'), ('rowsharelock'), ('rowexclusivelock'), ('shareupdateexclusivelock'),
          ('sharelock'), ('sharerowexclusivelock'), ('exclusivelock'), ('accessexclusivelock'), ('sireadlock')) AS m(mode)
        LEFT JOIN (SELECT database, lower(mode) AS mode, count(*) AS count FROM pg_locks
          WHERE database IS NOT NULL GROUP BY database, lower(mode)) l ON l.database = d.oid AND l.mode = m.mode
        """

    /// Locks not granted. A transaction-ID lock (the usual row-lock wait) has no database: the
    /// waiting backend's is used. `waitstart` exists from 14; on 13 the waiting statement's start
    /// stands in for it (an upper bound on the wait).
    static func lockWaits(version: Int) -> String {
        let started = version >= 140_000 ? "COALESCE(l.waitstart, a.query_start)" : "a.query_start"
        return """
            SELECT COALESCE(d.datname, a.datname)::text AS datname, lower(l.mode) AS mode, l.locktype::text AS locktype,
              count(*)::text AS count, max(extract(epoch FROM now() - \(started)))::float8::text AS oldest_wait_age
            FROM pg_locks l LEFT JOIN pg_database d ON d.oid = l.database LEFT JOIN pg_stat_activity a ON a.pid = l.pid
            WHERE NOT l.granted GROUP BY 1, 2, 3
            """
    }

    /// pg_blocking_pids() takes the lock manager's locks while it looks: called only for backends
    /// that wait for a lock (none: not at all), once per waiting backend in one statement.
    static let blocking = """
        SELECT count(DISTINCT w.pid)::text AS blocked, count(DISTINCT b.pid)::text AS blocking
        FROM (SELECT DISTINCT pid FROM pg_locks WHERE NOT granted AND pid IS NOT NULL) w
        CROSS JOIN LATERAL unnest(pg_blocking_pids(w.pid)) AS b(pid)
        """

    /// The WAL position on a primary (its growth is the WAL written) and pg_stat_wal from 14.
    static func wal(version: Int) -> String {
        let lsn = "CASE WHEN pg_is_in_recovery() THEN NULL ELSE pg_wal_lsn_diff(pg_current_wal_lsn(), '0/0')::float8 END::text AS current_lsn"
        guard version >= 140_000 else { return "SELECT \(lsn)" }
        return "SELECT \(lsn), \(PostgresStatViews.selectList(PostgresStatViews.wal, version: version)) FROM pg_stat_wal"
    }

    /// One row per connected standby (or other WAL receiver), from the sending side. On a
    /// cascading standby "current" is what it has received itself.
    static let replication = """
        SELECT r.pid::text AS pid, COALESCE(r.application_name, '')::text AS application_name,
          COALESCE(host(r.client_addr), '')::text AS client_addr, COALESCE(s.slot_name::text, '') AS slot_name,
          COALESCE(r.state, '')::text AS state,
          pg_wal_lsn_diff(c.lsn, '0/0')::float8::text AS current_lsn,
          pg_wal_lsn_diff(r.sent_lsn, '0/0')::float8::text AS sent_lsn,
          pg_wal_lsn_diff(r.write_lsn, '0/0')::float8::text AS write_lsn,
          pg_wal_lsn_diff(r.flush_lsn, '0/0')::float8::text AS flush_lsn,
          pg_wal_lsn_diff(r.replay_lsn, '0/0')::float8::text AS replay_lsn,
          extract(epoch FROM r.write_lag)::float8::text AS write_lag,
          extract(epoch FROM r.flush_lag)::float8::text AS flush_lag,
          extract(epoch FROM r.replay_lag)::float8::text AS replay_lag
        FROM pg_stat_replication r
        CROSS JOIN (SELECT CASE WHEN pg_is_in_recovery() THEN pg_last_wal_receive_lsn() ELSE pg_current_wal_lsn() END AS lsn) c
        LEFT JOIN pg_replication_slots s ON s.active_pid = r.pid
        """

    static func replicationSlots(version: Int) -> String {
        """
        SELECT slot_name::text AS slot_name, COALESCE(database::text, '') AS database, slot_type::text AS slot_type,
          active::text AS active,
          pg_wal_lsn_diff(CASE WHEN pg_is_in_recovery() THEN pg_last_wal_replay_lsn() ELSE pg_current_wal_lsn() END,
            restart_lsn)::float8::text AS retained_bytes,
          COALESCE(wal_status, '')::text AS wal_status, safe_wal_size::text AS safe_wal_size
        FROM pg_replication_slots
        """
    }

    /// A standby's own view: what it has received and replayed, and its WAL receiver (no row
    /// while it is not running: disconnected). No row at all once promoted: a primary has no
    /// replay to ask about.
    static let standby = """
        SELECT pg_is_wal_replay_paused()::text AS replay_paused,
          pg_wal_lsn_diff(pg_last_wal_receive_lsn(), '0/0')::float8::text AS receive_lsn,
          pg_wal_lsn_diff(pg_last_wal_replay_lsn(), '0/0')::float8::text AS replay_lsn,
          extract(epoch FROM now() - pg_last_xact_replay_timestamp())::float8::text AS last_replay_age,
          extract(epoch FROM now() - pg_postmaster_start_time())::float8::text AS uptime,
          w.status::text AS receiver_status, COALESCE(w.sender_host, '')::text AS sender_host,
          w.sender_port::text AS sender_port, COALESCE(w.slot_name, '')::text AS receiver_slot,
          pg_wal_lsn_diff(w.written_lsn, '0/0')::float8::text AS written_lsn,
          pg_wal_lsn_diff(w.flushed_lsn, '0/0')::float8::text AS flushed_lsn,
          pg_wal_lsn_diff(w.latest_end_lsn, '0/0')::float8::text AS latest_end_lsn,
          extract(epoch FROM now() - w.last_msg_receipt_time)::float8::text AS last_msg_receipt_age
        FROM (SELECT 1) AS one LEFT JOIN pg_stat_wal_receiver w ON true WHERE pg_is_in_recovery()
        """

    static let preparedXacts = """
        SELECT count(*)::text AS count, COALESCE(max(extract(epoch FROM now() - prepared)), 0)::float8::text AS oldest_age
        FROM pg_prepared_xacts
        """

    static let databaseAge = """
        SELECT datname::text AS datname, age(datfrozenxid)::text AS xid_age, mxid_age(datminmxid)::text AS mxid_age
        FROM pg_database
        """

    /// A database the role may not connect to (and it lacks pg_read_all_stats) has no size
    /// rather than failing the whole query.
    static let databaseSize = """
        SELECT datname::text AS datname,
          CASE WHEN has_database_privilege(oid, 'CONNECT') OR pg_has_role('pg_read_all_stats', 'MEMBER')
            THEN pg_database_size(oid) END::text AS size_bytes
        FROM pg_database
        """

    /// The largest tables of the connected database by pages at the last VACUUM/ANALYZE, then by
    /// tuples: no file is stat'ed to choose them, only the N chosen.
    static func tables(limit: Int) -> String {
        """
        SELECT current_database()::text AS datname, s.schemaname::text AS schemaname, s.relname::text AS relname,
          pg_total_relation_size(s.relid)::text AS size_bytes, s.n_live_tup::text AS n_live_tup,
          s.n_dead_tup::text AS n_dead_tup,
          COALESCE(extract(epoch FROM s.last_autovacuum), 0)::float8::text AS last_autovacuum,
          extract(epoch FROM now() - s.last_autovacuum)::float8::text AS last_autovacuum_age,
          COALESCE(extract(epoch FROM s.last_vacuum), 0)::float8::text AS last_vacuum,
          s.autovacuum_count::text AS autovacuum_count, s.vacuum_count::text AS vacuum_count
        FROM pg_stat_user_tables s JOIN pg_class c ON c.oid = s.relid
        ORDER BY c.relpages DESC, s.n_live_tup + s.n_dead_tup DESC, s.relid
        LIMIT \(limit)
        """
    }
}
