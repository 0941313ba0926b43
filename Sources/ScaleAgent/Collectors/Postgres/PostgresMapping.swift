/// Rows → metrics, section by section: pure functions of the query text, tested on tables
/// written by hand. Names follow postgres_exporter 0.11 where it has the metric (same names,
/// label names and types), ours otherwise.
enum PostgresMapping {
    static let otherApplications = "other"

    /// The server's identity, limits and role, from the first query of every refresh.
    static func server(_ info: PostgresServerInfo, into m: inout PostgresMetrics) {
        m.add(
            "pg_static", "Version string as reported by postgres.", .untyped, 1,
            [("short_version", info.shortVersion), ("version", info.version)])
        m.gauge("pg_settings_max_connections", "Sets the maximum number of concurrent connections.", info.maxConnections)
        m.gauge(
            "pg_settings_superuser_reserved_connections",
            "Sets the number of connection slots reserved for superusers.", info.superuserReservedConnections)
        if let reserved = info.reservedConnections {
            m.gauge(
                "pg_settings_reserved_connections",
                "Sets the number of connection slots reserved for roles with pg_use_reserved_connections (16+).", reserved)
        }
        m.gauge(
            "pg_settings_max_prepared_transactions", "Sets the maximum number of simultaneously prepared transactions.",
            info.maxPreparedTransactions)
        if let start = info.postmasterStartTime {
            m.gauge("pg_postmaster_start_time_seconds", "Time at which postmaster started.", start)
        }
        m.gauge(
            "pg_replication_is_replica", "Whether the server is a standby in recovery (1) or a primary (0).",
            info.inRecovery ? 1 : 0)
        if !info.inRecovery {
            // As postgres_exporter's pg_replication query: a primary lags behind nobody.
            m.gauge("pg_replication_lag", replicationLagHelp, 0)
        }
    }

    static let replicationLagHelp =
        "Seconds the standby's data is behind: 0 while its WAL receiver streams and it has replayed all it received; otherwise the age of the last replayed transaction (never 0 while disconnected)."

    /// The context a section's mapping may need besides its rows.
    struct Context {
        var info: PostgresServerInfo
        var target: PostgresTarget
    }

    static func map(_ section: PostgresSection, _ table: PostgresTable, _ context: Context, into m: inout PostgresMetrics) {
        switch section {
        case .activity: activity(table, into: &m)
        case .activitySummary: activitySummary(table, info: context.info, into: &m)
        case .waitEvents: waitEvents(table, into: &m)
        case .applications: applications(table, top: context.target.topApplications, into: &m)
        case .locks: locks(table, into: &m)
        case .lockWaits: lockWaits(table, into: &m)
        case .blocking: blocking(table, into: &m)
        case .database: m.add(PostgresStatViews.database, from: table, labels: ["datid", "datname"])
        case .databaseConflicts: m.add(PostgresStatViews.conflicts, from: table, labels: ["datid", "datname"])
        case .bgwriter: m.add(PostgresStatViews.bgwriter, from: table)
        case .checkpointer: m.add(PostgresStatViews.checkpointer, from: table)
        case .wal: wal(table, into: &m)
        case .archiver: m.add(PostgresStatViews.archiver, from: table)
        case .replication: replication(table, into: &m)
        case .replicationSlots: replicationSlots(table, into: &m)
        case .standby: standby(table, into: &m)
        case .preparedXacts: preparedXacts(table, into: &m)
        case .databaseAge: databaseAge(table, into: &m)
        case .databaseSize: databaseSize(table, into: &m)
        case .tables: tables(table, into: &m)
        case .statements: break  // PostgresStatementsResult renders its own
        }
    }

    // MARK: activity

    static func activity(_ table: PostgresTable, into m: inout PostgresMetrics) {
        for row in table.records {
            guard let count = row.number("count") else { continue }
            let labels = [("datname", row.label("datname")), ("state", row.label("state"))]
            m.gauge("pg_stat_activity_count", "number of connections in this state", count, labels)
            m.gauge(
                "pg_stat_activity_max_tx_duration", "max duration in seconds any active transaction has been running",
                row.number("max_tx_duration") ?? 0, labels)
        }
    }

    static func activitySummary(_ table: PostgresTable, info: PostgresServerInfo, into m: inout PostgresMetrics) {
        guard let row = table.records.first, let clients = row.number("client_backends") else { return }
        m.gauge("pg_stat_activity_client_backends", "Client backends connected, the agent's own included.", clients)
        let limit = info.ordinaryConnectionLimit
        m.gauge(
            "pg_connections_utilization_ratio",
            "Client backends over the connections ordinary roles may open (max_connections minus superuser_reserved_connections and reserved_connections); at 1 they are refused with 'too many clients'.",
            limit > 0 ? clients / limit : 1)
        m.gauge(
            "pg_stat_activity_oldest_xact_seconds", "Age of the oldest open transaction of a client backend.",
            row.number("oldest_xact_age") ?? 0)
        m.gauge(
            "pg_stat_activity_oldest_idle_in_transaction_seconds",
            "How long the longest idle-in-transaction session has been idle in its transaction.",
            row.number("oldest_idle_in_transaction_age") ?? 0)
    }

    static func waitEvents(_ table: PostgresTable, into m: inout PostgresMetrics) {
        for row in table.records {
            guard let count = row.number("count") else { continue }
            m.gauge(
                "pg_stat_activity_wait_event_type_count",
                "Client backends by what they wait for (none: running; Client: waiting for the client; Lock: a heavyweight lock).",
                count, [("wait_event_type", row.label("wait_event_type"))])
        }
    }

    static func applications(_ table: PostgresTable, top: Int, into m: inout PostgresMetrics) {
        let counts = table.records.compactMap { row in row.number("count").map { (row.label("application_name"), $0) } }
        for (name, count) in topN(counts, top) {
            m.gauge(
                "pg_stat_activity_application_count",
                "Client backends by application_name: the largest N, the rest summed as 'other'.", count,
                [("application_name", name)])
        }
    }

    /// The `n` largest counts (ties by name), the rest summed into `other`. The result is
    /// bounded to n + 1 series whatever the clients call themselves.
    static func topN(_ counts: [(String, Double)], _ n: Int) -> [(String, Double)] {
        var merged: [String: Double] = [:]
        for (name, count) in counts { merged[name, default: 0] += count }
        let sorted = merged.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
        var result = Array(sorted.prefix(n).map { ($0.key, $0.value) })
        let rest = sorted.dropFirst(n).reduce(0) { $0 + $1.value }
        if sorted.count > n {
            if let index = result.firstIndex(where: { $0.0 == otherApplications }) {
                result[index].1 += rest
            } else {
                result.append((otherApplications, rest))
            }
        }
        return result
    }

    // MARK: locks

    static func locks(_ table: PostgresTable, into m: inout PostgresMetrics) {
        for row in table.records {
            guard let count = row.number("count") else { continue }
            m.gauge(
                "pg_locks_count", "Number of locks", count, [("datname", row.label("datname")), ("mode", row.label("mode"))])
        }
    }

    static func lockWaits(_ table: PostgresTable, into m: inout PostgresMetrics) {
        var oldest = 0.0
        for row in table.records {
            guard let count = row.number("count") else { continue }
            m.gauge(
                "pg_locks_waiting", "Locks requested but not granted: backends waiting.", count,
                [("datname", row.label("datname")), ("mode", row.label("mode")), ("locktype", row.label("locktype"))])
            oldest = max(oldest, row.number("oldest_wait_age") ?? 0)
        }
        m.gauge("pg_locks_oldest_wait_seconds", "How long the longest current lock wait has lasted (0: none).", oldest)
    }

    static func blocking(_ table: PostgresTable, into m: inout PostgresMetrics) {
        let row = table.records.first
        blocking(blocked: row?.number("blocked") ?? 0, blocking: row?.number("blocking") ?? 0, into: &m)
    }

    static func blocking(blocked: Double, blocking: Double, into m: inout PostgresMetrics) {
        m.gauge("pg_locks_blocked_backends", "Backends waiting for a lock another backend holds (pg_blocking_pids).", blocked)
        m.gauge(
            "pg_locks_blocking_backends",
            "Backends (0 for a prepared transaction) holding locks that others wait for.", blocking)
    }

    // MARK: WAL, replication

    static func wal(_ table: PostgresTable, into m: inout PostgresMetrics) {
        if let lsn = table.records.first?.number("current_lsn") {
            m.gauge(
                "pg_wal_current_lsn_bytes", "The primary's current WAL write position as a byte offset; its rate is the WAL written.",
                lsn)
        }
        m.add(PostgresStatViews.wal, from: table)
    }

    static func replication(_ table: PostgresTable, into m: inout PostgresMetrics) {
        let records = table.records
        m.gauge("pg_stat_replication_standbys", "WAL receivers (standbys, pg_basebackup, logical subscribers) connected.", Double(records.count))
        for row in records {
            // postgres_exporter labels each walsender so; a standby without a slot gets its
            // walsender's pid in slot_name, as there, so that two such never share a series.
            let slot = row.label("slot_name").isEmpty ? row.label("pid") : row.label("slot_name")
            let labels = [
                ("application_name", row.label("application_name")), ("client_addr", row.label("client_addr")),
                ("slot_name", slot), ("state", row.label("state")),
            ]
            guard let current = row.number("current_lsn") else { continue }
            m.gauge("pg_stat_replication_pg_current_wal_lsn_bytes", "WAL position in bytes", current, labels)
            let replayLagBytes = row.number("replay_lsn").map { max(0, current - $0) }
            if let replayLagBytes {
                m.gauge("pg_stat_replication_pg_wal_lsn_diff", "Lag in bytes between master and slave", replayLagBytes, labels)
            }
            for stage in ["sent", "write", "flush", "replay"] {
                guard let lsn = row.number("\(stage)_lsn") else { continue }
                m.gauge(
                    "pg_stat_replication_\(stage)_lsn_bytes", "The standby's \(stage) WAL position as a byte offset.", lsn, labels)
                m.gauge(
                    "pg_stat_replication_\(stage)_lag_bytes", "WAL bytes this server has that the standby has not yet \(stage == "sent" ? "been sent" : stage == "write" ? "written" : stage == "flush" ? "flushed" : "replayed").",
                    max(0, current - lsn), labels)
            }
            for stage in ["write", "flush", "replay"] {
                // NULL once the standby has caught up and the primary is idle: no lag then. NULL
                // with WAL outstanding means no measurement yet: left out rather than read as 0.
                let seconds = row.number("\(stage)_lag") ?? (replayLagBytes == 0 ? 0 : nil)
                if let seconds {
                    m.gauge(
                        "pg_stat_replication_\(stage)_lag_seconds",
                        "Time between flushing recent WAL locally and the standby reporting it \(stage == "write" ? "written" : stage == "flush" ? "flushed" : "replayed").",
                        seconds, labels)
                }
            }
        }
    }

    static func replicationSlots(_ table: PostgresTable, into m: inout PostgresMetrics) {
        for row in table.records {
            let labels = [("slot_name", row.label("slot_name")), ("database", row.label("database"))]
            m.gauge("pg_replication_slots_active", "Flag indicating if the slot is active", row.bool("active") == true ? 1 : 0, labels)
            if let retained = row.number("retained_bytes") {
                m.gauge(
                    "pg_replication_slots_pg_wal_lsn_diff", "WAL the slot retains: bytes from its restart_lsn to the current position.",
                    retained, labels)
            }
            if let safe = row.number("safe_wal_size") {
                m.gauge(
                    "pg_replication_slots_safe_wal_size_bytes", "WAL that can still be written before this slot is at risk of losing required WAL (max_slot_wal_keep_size).",
                    safe, labels)
            }
        }
    }

    /// The standby's lag in seconds. Streaming and caught up with what it received: 0.
    /// Otherwise (replay behind, paused, or the WAL receiver not streaming, when the standby
    /// cannot know what it misses) the age of the last replayed transaction, or, if it has
    /// replayed none since it started, its uptime. Never 0 while disconnected.
    static func standbyLag(
        streaming: Bool, receiveLSN: Double?, replayLSN: Double?, lastReplayAge: Double?, uptime: Double?
    ) -> Double {
        if streaming, let receive = receiveLSN, let replay = replayLSN, receive <= replay { return 0 }
        // A floor of 1 ms keeps "not streaming" from ever reading as "no lag".
        return max(lastReplayAge ?? uptime ?? 0, 0.001)
    }

    static func standby(_ table: PostgresTable, into m: inout PostgresMetrics) {
        guard let row = table.records.first else { return }
        let status = row["receiver_status"]
        let streaming = status == "streaming"
        let receive = row.number("receive_lsn")
        let replay = row.number("replay_lsn")
        m.gauge(
            "pg_replication_lag", replicationLagHelp,
            standbyLag(
                streaming: streaming, receiveLSN: receive, replayLSN: replay, lastReplayAge: row.number("last_replay_age"),
                uptime: row.number("uptime")))
        if let receive, let replay {
            m.gauge("pg_replication_replay_lag_bytes", "WAL the standby has received but not yet replayed, in bytes.", max(0, receive - replay))
        }
        if let receive {
            m.gauge("pg_replication_last_receive_lsn_bytes", "The last WAL position received and flushed by streaming, as a byte offset.", receive)
        }
        if let replay {
            m.gauge("pg_replication_last_replay_lsn_bytes", "The last WAL position replayed, as a byte offset.", replay)
        }
        m.gauge("pg_replication_replay_paused", "Whether WAL replay is paused (pg_wal_replay_pause()).", row.bool("replay_paused") == true ? 1 : 0)
        m.gauge("pg_stat_walreceiver_up", "Whether the standby's WAL receiver is streaming from its upstream (0: disconnected or (re)starting).", streaming ? 1 : 0)
        m.gauge(
            "pg_stat_walreceiver_status", "The WAL receiver's status as a label (disconnected: no WAL receiver running).", 1,
            [("status", status ?? "disconnected")])
        for (column, metric, help) in [
            ("written_lsn", "pg_stat_walreceiver_written_lsn_bytes", "Last WAL position received and written to disk, as a byte offset."),
            ("flushed_lsn", "pg_stat_walreceiver_flushed_lsn_bytes", "Last WAL position received and flushed to disk, as a byte offset."),
            ("latest_end_lsn", "pg_stat_walreceiver_latest_end_lsn_bytes", "Last WAL position reported to the upstream, as a byte offset."),
            ("last_msg_receipt_age", "pg_stat_walreceiver_last_msg_receipt_age_seconds", "Seconds since the last message from the upstream arrived."),
        ] {
            if let value = row.number(column) { m.gauge(metric, help, value) }
        }
    }

    // MARK: the rest

    static func preparedXacts(_ table: PostgresTable, into m: inout PostgresMetrics) {
        guard let row = table.records.first else { return }
        m.gauge("pg_prepared_xacts_count", "Transactions prepared for two-phase commit and not yet committed or rolled back.", row.number("count") ?? 0)
        m.gauge("pg_prepared_xacts_oldest_age_seconds", "Age of the oldest prepared transaction (0: none).", row.number("oldest_age") ?? 0)
    }

    static func databaseAge(_ table: PostgresTable, into m: inout PostgresMetrics) {
        for row in table.records {
            let labels = [("datname", row.label("datname"))]
            if let age = row.number("xid_age") {
                m.gauge("pg_database_frozen_xid_age", "Transactions since the database's datfrozenxid: wraparound comes at 2^31 (autovacuum_freeze_max_age forces vacuums before).", age, labels)
            }
            if let age = row.number("mxid_age") {
                m.gauge("pg_database_min_mxid_age", "Multixacts since the database's datminmxid.", age, labels)
            }
        }
    }

    static func databaseSize(_ table: PostgresTable, into m: inout PostgresMetrics) {
        for row in table.records {
            guard let size = row.number("size_bytes") else { continue }
            m.gauge("pg_database_size_bytes", "Disk space used by the database", size, [("datname", row.label("datname"))])
        }
    }

    static func tables(_ table: PostgresTable, into m: inout PostgresMetrics) {
        for row in table.records {
            let labels = [("datname", row.label("datname")), ("schemaname", row.label("schemaname")), ("relname", row.label("relname"))]
            for (column, metric, type, help) in [
                ("size_bytes", "pg_stat_user_tables_size_bytes", MetricType.gauge, "Disk space of the table with its indexes and TOAST (one of the largest tables)."),
                ("n_live_tup", "pg_stat_user_tables_n_live_tup", .gauge, "Estimated number of live rows"),
                ("n_dead_tup", "pg_stat_user_tables_n_dead_tup", .gauge, "Estimated number of dead rows"),
                ("last_autovacuum", "pg_stat_user_tables_last_autovacuum", .gauge, "Last time at which this table was vacuumed by the autovacuum daemon (0: never)"),
                ("last_autovacuum_age", "pg_stat_user_tables_last_autovacuum_age_seconds", .gauge, "Seconds since autovacuum last vacuumed this table (absent: never)."),
                ("last_vacuum", "pg_stat_user_tables_last_vacuum", .gauge, "Last time at which this table was manually vacuumed (not counting VACUUM FULL) (0: never)"),
                ("autovacuum_count", "pg_stat_user_tables_autovacuum_count", .counter, "Number of times this table has been vacuumed by the autovacuum daemon"),
                ("vacuum_count", "pg_stat_user_tables_vacuum_count", .counter, "Number of times this table has been manually vacuumed (not counting VACUUM FULL)"),
            ] {
                if let value = row.number(column) { m.add(metric, help, type, value, labels) }
            }
        }
    }
}
