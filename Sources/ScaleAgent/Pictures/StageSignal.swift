/// The status page's panels: for each stage of the scaling path (docs/alerting.md; the
/// `stage` label of the shipped rule pack), the few numbers that show its signature and one
/// chart over the last hour. The expressions are those of the rule pack, without thresholds,
/// so that a panel shows how far from firing its alerts are.
struct StageSignal: Sendable {
    struct Number: Sendable {
        var label: String
        var expr: String
        var unit: ChartUnit
    }

    /// The `stage` label value of this stage's alerts.
    var id: String
    var title: String
    /// What breaks at this stage, in a few words.
    var signature: String
    var numbers: [Number]
    var chart: Number

    /// A count that is zero when nothing matched (a sum over no series is no value at all).
    private static func zeroIfNone(_ expr: String) -> String { "(\(expr)) or vector(0)" }

    private static let cpuBusy =
        #"sum(rate(node_cpu_seconds_total{mode!~"idle|iowait|steal"}[5m])) / count(node_cpu_seconds_total{mode="idle"})"#

    static let all: [StageSignal] = [
        StageSignal(
            id: "1-single-server", title: "Stage 1 · one server", signature: "OOM kills, memory pressure, a full disk",
            numbers: [
                Number(label: "Memory available", expr: "node_memory_MemAvailable_bytes", unit: .bytes),
                Number(label: "Share available", expr: "node_memory_MemAvailable_bytes / node_memory_MemTotal_bytes", unit: .ratio),
                Number(label: "OOM kills, last hour", expr: zeroIfNone("sum(increase(node_vmstat_oom_kill[1h]))"), unit: .count),
                Number(label: "Memory pressure", expr: "rate(node_pressure_memory_waiting_seconds_total[5m])", unit: .ratio),
                Number(
                    label: "Fullest filesystem",
                    expr: #"max(1 - node_filesystem_avail_bytes{fstype!~"tmpfs|ramfs"} / node_filesystem_size_bytes)"#, unit: .ratio),
            ],
            chart: Number(label: "Memory available", expr: "node_memory_MemAvailable_bytes", unit: .bytes)),
        StageSignal(
            id: "2-database-split", title: "Stage 2 · database on its own host",
            signature: "slow requests nobody can explain: the hot query, per-service memory",
            numbers: [
                Number(label: "PostgreSQL up", expr: "min(pg_up)", unit: .plain),
                Number(label: "Largest service memory", expr: "max(scalewatch_service_memory_bytes)", unit: .bytes),
                Number(
                    label: "PostgreSQL errors, last hour", expr: zeroIfNone("sum(increase(scalewatch_postgres_log_errors_total[1h]))"),
                    unit: .count),
            ],
            chart: Number(label: "Service memory, top 4", expr: "topk(4, scalewatch_service_memory_bytes)", unit: .bytes)),
        StageSignal(
            id: "3-monitoring", title: "Stage 3 · CPU saturation", signature: "CPU at 100%, a long run queue, listen-queue overflows",
            numbers: [
                Number(label: "CPU busy", expr: cpuBusy, unit: .ratio),
                Number(label: "Load per core (5m)", expr: #"node_load5 / on () count(node_cpu_seconds_total{mode="idle"})"#, unit: .plain),
                Number(label: "CPU pressure", expr: "rate(node_pressure_cpu_waiting_seconds_total[5m])", unit: .ratio),
                Number(label: "Listen-queue overflows", expr: "rate(node_netstat_TcpExt_ListenOverflows[5m])", unit: .perSecond),
            ],
            chart: Number(label: "CPU busy", expr: cpuBusy, unit: .ratio)),
        StageSignal(
            id: "4-load-balanced", title: "Stage 4 · many app boxes, one database", signature: "the connection pool full, one hot query",
            numbers: [
                Number(label: "Connections used", expr: "max(pg_connections_utilization_ratio)", unit: .ratio),
                Number(label: "Connections", expr: "sum(pg_stat_activity_count)", unit: .count),
                Number(label: "max_connections", expr: "max(pg_settings_max_connections)", unit: .count),
            ],
            chart: Number(label: "Connections used", expr: "pg_connections_utilization_ratio", unit: .ratio)),
        StageSignal(
            id: "5-cache-cdn", title: "Stage 5 · cache and CDN", signature: "a slow upstream parks every worker: 504s, queues overflow",
            numbers: [
                Number(label: "Listen-queue overflows", expr: "rate(node_netstat_TcpExt_ListenOverflows[5m])", unit: .perSecond),
                Number(label: "Processes running", expr: "node_procs_running", unit: .count),
            ],
            chart: Number(label: "Processes running", expr: "node_procs_running", unit: .count)),
        StageSignal(
            id: "6-queue-workers", title: "Stage 6 · queues and workers", signature: "lock waits, I/O saturation at the primary",
            numbers: [
                Number(label: "Oldest lock wait", expr: "max(pg_locks_oldest_wait_seconds)", unit: .seconds),
                Number(label: "Blocked backends", expr: "sum(pg_locks_blocked_backends)", unit: .count),
                Number(label: "Busiest disk", expr: "max(rate(node_disk_io_time_seconds_total[5m]))", unit: .ratio),
                Number(label: "I/O pressure", expr: "rate(node_pressure_io_stalled_seconds_total[5m])", unit: .ratio),
            ],
            chart: Number(label: "Disk busy", expr: "rate(node_disk_io_time_seconds_total[5m])", unit: .ratio)),
        StageSignal(
            id: "7-replicas-shards", title: "Stage 7 · replicas and shards",
            signature: "replication lag, prepared transactions left half done",
            numbers: [
                Number(label: "Replication lag", expr: "max(pg_replication_lag)", unit: .seconds),
                Number(label: "Oldest prepared transaction", expr: "max(pg_prepared_xacts_oldest_age_seconds)", unit: .seconds),
            ],
            chart: Number(label: "Replication lag", expr: "pg_replication_lag", unit: .seconds)),
        StageSignal(
            id: "agent", title: "The agent itself", signature: "collectors failing, the store not persisting, reloads failing",
            numbers: [
                Number(label: "Collectors failing", expr: zeroIfNone("count(scalewatch_collector_success == 0)"), unit: .count),
                Number(label: "Last reload successful", expr: "scalewatch_config_last_reload_successful", unit: .plain),
                Number(label: "Resident memory", expr: #"process_resident_memory_bytes"#, unit: .bytes),
            ],
            chart: Number(label: "Agent CPU", expr: "rate(process_cpu_seconds_total[5m])", unit: .ratio)),
    ]
}
