import MetricStore
import Testing

@testable import ScaleAgent

/// Rows → metrics, on tables written the way the server returns them (every cell text).
@Suite struct PostgresMappingTests {
    static let info15 = PostgresServerInfo(
        versionNumber: 150_018, version: "PostgreSQL 15.18", inRecovery: false, maxConnections: 20,
        superuserReservedConnections: 3, reservedConnections: nil, maxPreparedTransactions: 5, postmasterStartTime: 1.7e9,
        statements: nil)

    static let target = PostgresTarget(endpoint: .tcp(host: "127.0.0.1"), port: 5432)

    func map(_ section: PostgresSection, _ table: PostgresTable, info: PostgresServerInfo = info15, target: PostgresTarget = target)
        -> [MetricFamily]
    {
        var m = PostgresMetrics(targetLabels: [Label("server", "db:5432")])
        PostgresMapping.map(section, table, .init(info: info, target: target), into: &m)
        return m.build()
    }

    @Test func activityKeepsExporterNamesAndZeros() {
        let table = PostgresTable(
            columns: ["datname", "state", "count", "max_tx_duration"],
            rows: [["app", "active", "3", "12.5"], ["app", "idle", "0", "0"], ["app", "idle in transaction", "1", "40"]])
        let families = map(.activity, table)
        #expect(families.map(\.name) == ["pg_stat_activity_count", "pg_stat_activity_max_tx_duration"])
        #expect(families.value("pg_stat_activity_count", ["server": "db:5432", "datname": "app", "state": "active"]) == 3)
        #expect(families.value("pg_stat_activity_count", ["server": "db:5432", "datname": "app", "state": "idle"]) == 0)
        #expect(families.value("pg_stat_activity_max_tx_duration", ["server": "db:5432", "datname": "app", "state": "idle in transaction"]) == 40)
        #expect(families.allSatisfy { $0.type == .gauge })
    }

    @Test func utilisationCountsAgainstTheSlotsOrdinaryRolesMayUse() {
        let table = PostgresTable(
            columns: ["client_backends", "oldest_xact_age", "oldest_idle_in_transaction_age"], rows: [["17", "95.5", "30"]])
        let families = map(.activitySummary, table)
        // 20 max_connections − 3 superuser-reserved = 17: full.
        #expect(families.value("pg_connections_utilization_ratio", ["server": "db:5432"]) == 1)
        #expect(families.value("pg_stat_activity_client_backends", ["server": "db:5432"]) == 17)
        #expect(families.value("pg_stat_activity_oldest_xact_seconds", ["server": "db:5432"]) == 95.5)
        #expect(families.value("pg_stat_activity_oldest_idle_in_transaction_seconds", ["server": "db:5432"]) == 30)

        var info16 = Self.info15
        info16.versionNumber = 160_004
        info16.reservedConnections = 2
        let on16 = map(.activitySummary, PostgresTable(columns: ["client_backends"], rows: [["6"]]), info: info16)
        #expect(on16.value("pg_connections_utilization_ratio", ["server": "db:5432"]) == 0.4)
    }

    @Test func applicationsAreBoundedToTopNAndOther() {
        let counts = [("web", 10.0), ("worker", 4), ("cron", 1), ("psql", 2), ("", 3)]
        let top = PostgresMapping.topN(counts, 2)
        #expect(top.map(\.0) == ["web", "worker", "other"])
        #expect(top.map(\.1) == [10, 4, 6])
        #expect(PostgresMapping.topN(counts, 10).count == 5)
        // An application literally called "other" is merged, never duplicated.
        let merged = PostgresMapping.topN([("a", 5), ("other", 1), ("b", 1), ("c", 1)], 2)
        #expect(merged.map(\.0) == ["a", "b", "other"])
        #expect(merged.map(\.1) == [5, 1, 2])

        let table = PostgresTable(columns: ["application_name", "count"], rows: [["web", "10"], ["worker", "4"], ["cron", "1"]])
        var target = Self.target
        target.topApplications = 1
        let families = map(.applications, table, target: target)
        #expect(families.value("pg_stat_activity_application_count", ["server": "db:5432", "application_name": "web"]) == 10)
        #expect(families.value("pg_stat_activity_application_count", ["server": "db:5432", "application_name": "other"]) == 5)
    }

    @Test func lockWaitsAndTheirOldestAge() {
        let table = PostgresTable(
            columns: ["datname", "mode", "locktype", "count", "oldest_wait_age"],
            rows: [["app", "sharelock", "transactionid", "2", "7.25"], ["app", "accessexclusivelock", "relation", "1", "1.5"]])
        let families = map(.lockWaits, table)
        #expect(families.value("pg_locks_waiting", ["server": "db:5432", "datname": "app", "mode": "sharelock", "locktype": "transactionid"]) == 2)
        #expect(families.value("pg_locks_oldest_wait_seconds", ["server": "db:5432"]) == 7.25)

        let none = map(.lockWaits, PostgresTable(columns: ["datname", "mode", "locktype", "count", "oldest_wait_age"], rows: []))
        #expect(none.map(\.name) == ["pg_locks_oldest_wait_seconds"])
        #expect(none.value("pg_locks_oldest_wait_seconds", ["server": "db:5432"]) == 0)

        let blocking = map(.blocking, PostgresTable(columns: ["blocked", "blocking"], rows: [["2", "1"]]))
        #expect(blocking.value("pg_locks_blocked_backends", ["server": "db:5432"]) == 2)
        #expect(blocking.value("pg_locks_blocking_backends", ["server": "db:5432"]) == 1)
    }

    @Test func statViewsFollowTheExporterAndDropNulls() {
        let table = PostgresTable(
            columns: ["datid", "datname", "numbackends", "xact_commit", "deadlocks", "checksum_last_failure", "session_time"],
            rows: [["0", nil, "0", "10", "0", nil, "5.5"], ["16384", "app", "4", "1200", "1", nil, "99"]])
        let families = map(.database, table)
        #expect(families.value("pg_stat_database_deadlocks", ["server": "db:5432", "datid": "16384", "datname": "app"]) == 1)
        // NULL datname (the shared-objects row) is an empty, hence absent, label.
        #expect(families.value("pg_stat_database_xact_commit", ["server": "db:5432", "datid": "0"]) == 10)
        #expect(!families.contains { $0.name == "pg_stat_database_checksum_last_failure" })
        #expect(families.first { $0.name == "pg_stat_database_xact_commit" }?.type == .counter)
        #expect(families.first { $0.name == "pg_stat_database_numbackends" }?.type == .gauge)
        #expect(families.first { $0.name == "pg_stat_database_session_time" }?.type == .untyped)
    }

    @Test func versionDecidesTheColumns() {
        func sql(_ section: PostgresSection, _ version: Int) -> String? {
            var info = Self.info15
            info.versionNumber = version
            return section.sql(info, Self.target)
        }
        #expect(sql(.database, 130_000)?.contains("session_time") == false)
        #expect(sql(.database, 140_000)?.contains("sessions_killed") == true)
        #expect(sql(.databaseConflicts, 150_000)?.contains("confl_active_logicalslot") == false)
        #expect(sql(.databaseConflicts, 160_000)?.contains("confl_active_logicalslot") == true)
        #expect(sql(.bgwriter, 160_000)?.contains("checkpoints_timed") == true)
        #expect(sql(.bgwriter, 170_000)?.contains("checkpoints_timed") == false)
        #expect(sql(.bgwriter, 170_000)?.contains("buffers_backend") == false)
        #expect(sql(.bgwriter, 170_000)?.contains("buffers_clean") == true)
        #expect(sql(.checkpointer, 160_000) == nil)
        #expect(sql(.checkpointer, 170_002)?.contains("FROM pg_stat_checkpointer") == true)
        #expect(sql(.wal, 130_000)?.contains("pg_stat_wal") == false)
        #expect(sql(.wal, 140_000)?.contains("FROM pg_stat_wal") == true)
        #expect(sql(.lockWaits, 130_000)?.contains("waitstart") == false)
        #expect(sql(.lockWaits, 140_000)?.contains("waitstart") == true)
        // The standby query runs only in recovery.
        #expect(sql(.standby, 150_000) == nil)
        var standby = Self.info15
        standby.inRecovery = true
        #expect(PostgresSection.standby.sql(standby, Self.target) != nil)
    }

    @Test func checkpointerOn17() {
        let table = PostgresTable(columns: ["num_timed", "num_requested", "buffers_written", "stats_reset"], rows: [["12", "3", "4096", "1.7e9"]])
        var info17 = Self.info15
        info17.versionNumber = 170_002
        let families = map(.checkpointer, table, info: info17)
        #expect(families.value("pg_stat_checkpointer_num_timed_total", ["server": "db:5432"]) == 12)
        #expect(families.value("pg_stat_checkpointer_buffers_written_total", ["server": "db:5432"]) == 4096)
        #expect(families.value("pg_stat_checkpointer_stats_reset_total", ["server": "db:5432"]) == 1.7e9)
    }

    @Test func primarySideReplicationLags() {
        let columns = [
            "pid", "application_name", "client_addr", "slot_name", "state", "current_lsn", "sent_lsn", "write_lsn", "flush_lsn",
            "replay_lsn", "write_lag", "flush_lag", "replay_lag",
        ]
        let table = PostgresTable(
            columns: columns,
            rows: [
                ["101", "standby1", "10.0.0.2", "standby1", "streaming", "5000", "5000", "4800", "4500", "4000", "0.002", "0.004", "1.5"],
                // Caught up and idle: PostgreSQL reports NULL lags, which means none.
                ["102", "walreceiver", "10.0.0.3", "", "streaming", "5000", "5000", "5000", "5000", "5000", nil, nil, nil],
            ])
        let families = map(.replication, table)
        let one = ["server": "db:5432", "application_name": "standby1", "client_addr": "10.0.0.2", "slot_name": "standby1", "state": "streaming"]
        #expect(families.value("pg_stat_replication_pg_wal_lsn_diff", one) == 1000)
        #expect(families.value("pg_stat_replication_sent_lag_bytes", one) == 0)
        #expect(families.value("pg_stat_replication_write_lag_bytes", one) == 200)
        #expect(families.value("pg_stat_replication_flush_lag_bytes", one) == 500)
        #expect(families.value("pg_stat_replication_replay_lag_bytes", one) == 1000)
        #expect(families.value("pg_stat_replication_replay_lsn_bytes", one) == 4000)
        #expect(families.value("pg_stat_replication_replay_lag_seconds", one) == 1.5)
        // Without a slot, the walsender's pid tells two standbys on one host apart.
        let two = ["server": "db:5432", "application_name": "walreceiver", "client_addr": "10.0.0.3", "slot_name": "102", "state": "streaming"]
        #expect(families.value("pg_stat_replication_replay_lag_seconds", two) == 0)
        #expect(families.value("pg_stat_replication_standbys", ["server": "db:5432"]) == 2)

        // NULL lag with WAL outstanding: no measurement, so no series rather than a false 0.
        let behind = PostgresTable(
            columns: columns, rows: [["7", "s", "", "s", "catchup", "9000", "8000", "8000", "8000", "8000", nil, nil, nil]])
        #expect(!map(.replication, behind).contains { $0.name == "pg_stat_replication_replay_lag_seconds" })
    }

    @Test func standbyLagIsNeverZeroWhileDisconnected() {
        // Streaming and replayed all it received.
        #expect(PostgresMapping.standbyLag(streaming: true, receiveLSN: 100, replayLSN: 100, lastReplayAge: 300, uptime: 900) == 0)
        // Streaming, replay behind (paused or slow): the last replayed transaction's age.
        #expect(PostgresMapping.standbyLag(streaming: true, receiveLSN: 200, replayLSN: 100, lastReplayAge: 12, uptime: 900) == 12)
        // Disconnected, although received == replayed: not 0.
        #expect(PostgresMapping.standbyLag(streaming: false, receiveLSN: 100, replayLSN: 100, lastReplayAge: 4, uptime: 900) == 4)
        #expect(PostgresMapping.standbyLag(streaming: false, receiveLSN: 100, replayLSN: 100, lastReplayAge: 0, uptime: 900) > 0)
        // Nothing replayed since start: the uptime bounds the staleness.
        #expect(PostgresMapping.standbyLag(streaming: false, receiveLSN: nil, replayLSN: 100, lastReplayAge: nil, uptime: 900) == 900)

        let columns = [
            "replay_paused", "receive_lsn", "replay_lsn", "last_replay_age", "uptime", "receiver_status", "sender_host",
            "sender_port", "receiver_slot", "written_lsn", "flushed_lsn", "latest_end_lsn", "last_msg_receipt_age",
        ]
        let disconnected = PostgresTable(
            columns: columns, rows: [["false", "3000", "3000", "8.5", "100", nil, "", nil, "", nil, nil, nil, nil]])
        let families = map(.standby, disconnected)
        #expect(families.value("pg_replication_lag", ["server": "db:5432"]) == 8.5)
        #expect(families.value("pg_stat_walreceiver_up", ["server": "db:5432"]) == 0)
        #expect(families.value("pg_stat_walreceiver_status", ["server": "db:5432", "status": "disconnected"]) == 1)
        #expect(families.value("pg_replication_replay_lag_bytes", ["server": "db:5432"]) == 0)

        let paused = PostgresTable(
            columns: columns,
            rows: [["true", "9000", "3000", "20", "100", "streaming", "10.0.0.1", "5432", "s1", "9000", "9000", "9000", "0.1"]])
        let pausedFamilies = map(.standby, paused)
        #expect(pausedFamilies.value("pg_replication_lag", ["server": "db:5432"]) == 20)
        #expect(pausedFamilies.value("pg_replication_replay_lag_bytes", ["server": "db:5432"]) == 6000)
        #expect(pausedFamilies.value("pg_replication_replay_paused", ["server": "db:5432"]) == 1)
        #expect(pausedFamilies.value("pg_stat_walreceiver_up", ["server": "db:5432"]) == 1)
        #expect(pausedFamilies.value("pg_replication_last_receive_lsn_bytes", ["server": "db:5432"]) == 9000)
        #expect(pausedFamilies.value("pg_stat_walreceiver_flushed_lsn_bytes", ["server": "db:5432"]) == 9000)
    }

    @Test func serverInfoAndItsErrors() throws {
        let columns = [
            "version_num", "version", "in_recovery", "max_connections", "superuser_reserved_connections", "reserved_connections",
            "max_prepared_transactions", "postmaster_start_time", "statements_schema", "statements_version",
        ]
        let info = try PostgresServerInfo.parse(
            PostgresTable(columns: columns, rows: [["150018", "PostgreSQL 15.18", "true", "100", "3", nil, "0", "1700000000.5", "public", "1.10"]]))
        #expect(info.shortVersion == "15.18.0" && info.majorVersion == 15 && info.inRecovery)
        #expect(info.reservedConnections == nil && info.statements?.execTimeColumn == "total_exec_time")
        #expect(PostgresServerInfo.Statements(schema: "x", version: "1.7").execTimeColumn == "total_time")
        #expect(PostgresServerInfo.Statements(schema: "x", version: "1.11").execTimeColumn == "total_exec_time")

        var m = PostgresMetrics(targetLabels: [Label("server", "s")])
        PostgresMapping.server(info, into: &m)
        let families = m.build()
        #expect(families.value("pg_replication_is_replica", ["server": "s"]) == 1)
        #expect(families.value("pg_static", ["server": "s", "short_version": "15.18.0", "version": "PostgreSQL 15.18"]) == 1)
        #expect(!families.contains { $0.name == "pg_settings_reserved_connections" || $0.name == "pg_replication_lag" })

        #expect(throws: PostgresServerInfo.Problem.unsupportedVersion(120_010)) {
            try PostgresServerInfo.parse(PostgresTable(columns: columns, rows: [["120010", "", "false", "1", "1", nil, "0", nil, nil, nil]]))
        }
        #expect(throws: PostgresServerInfo.Problem.noRow) { try PostgresServerInfo.parse(PostgresTable(columns: columns, rows: [])) }
        #expect(throws: PostgresServerInfo.Problem.missing("max_connections")) {
            try PostgresServerInfo.parse(PostgresTable(columns: columns, rows: [["150000", "", "false", "many", "1", nil, "0", nil, nil, nil]]))
        }
    }

    @Test func tablesAndSizes() {
        let table = PostgresTable(
            columns: ["datname", "schemaname", "relname", "size_bytes", "n_live_tup", "n_dead_tup", "last_autovacuum", "last_autovacuum_age", "autovacuum_count"],
            rows: [["app", "public", "accounts", "8192000", "1000", "250", "0", nil, "0"]])
        let families = map(.tables, table)
        let labels = ["server": "db:5432", "datname": "app", "schemaname": "public", "relname": "accounts"]
        #expect(families.value("pg_stat_user_tables_n_dead_tup", labels) == 250)
        #expect(families.value("pg_stat_user_tables_last_autovacuum", labels) == 0)
        #expect(!families.contains { $0.name == "pg_stat_user_tables_last_autovacuum_age_seconds" })
        #expect(families.first { $0.name == "pg_stat_user_tables_autovacuum_count" }?.type == .counter)

        let sizes = map(.databaseSize, PostgresTable(columns: ["datname", "size_bytes"], rows: [["app", "7000000"], ["secret", nil]]))
        #expect(sizes.first?.samples.count == 1)
        #expect(sizes.value("pg_database_size_bytes", ["server": "db:5432", "datname": "app"]) == 7e6)
    }

    @Test func postgresTextNumbers() {
        #expect(PostgresTable.number("1e+20") == 1e20)
        #expect(PostgresTable.number("Infinity") == .infinity)
        #expect(PostgresTable.number("NaN")?.isNaN == true)
        #expect(PostgresTable.number("12.5") == 12.5)
        #expect(PostgresTable.number("0/3000060") == nil)
    }

    @Test func targetLabelsGoOnEverySeries() {
        var target = Self.target
        target.labels = ["cluster": "main", "az": "b"]
        var m = PostgresMetrics(target: target)
        m.gauge("x", "h", 1, [("datname", "app")])
        let labels = m.build().first?.samples.first?.labels
        #expect(labels == Labels([Label("az", "b"), Label("cluster", "main"), Label("datname", "app"), Label("server", "127.0.0.1:5432")]))
        #expect(PostgresTarget(endpoint: .socket(directory: "/run/postgresql"), port: 5433).serverLabel == "/run/postgresql:5433")
        #expect(PostgresTarget(endpoint: .tcp(host: "::1")).serverLabel == "[::1]:5432")
    }
}

extension [MetricFamily] {
    fileprivate func value(_ name: String, _ labels: [String: String] = [:]) -> Double? {
        first { $0.name == name }?.samples.first { sample in
            sample.labels.count == labels.count && labels.allSatisfy { sample.labels[$0.key] == $0.value }
        }?.value
    }
}
