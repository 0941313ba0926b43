/// The queries the issue names, and 30 alerting-rule expressions of the kind
/// awesome-prometheus-alerts lists for node and PostgreSQL metrics.
enum QueryBenchmarkSet {
    static let rangeQueries = [
        "rate(node_cpu_seconds_total[1m])",
        "sum by (mode) (rate(node_cpu_seconds_total[5m]))",
        "max_over_time(node_memory_MemAvailable_bytes[5m])",
        "sum by (datname) (rate(pg_stat_database_xact_commit[1m]))",
        #"count by (job) ({__name__=~".+"})"#,
        #"topk(5, {__name__=~".+"})"#,
    ]

    static let alertingRules = [
        "node_memory_MemAvailable_bytes / node_memory_MemTotal_bytes * 100 < 10",
        "sum by (instance) (rate(node_network_receive_bytes_total[2m])) / 1024 / 1024 > 100",
        "sum by (instance) (rate(node_network_transmit_bytes_total[2m])) / 1024 / 1024 > 100",
        "sum by (instance) (rate(node_disk_read_bytes_total[2m])) / 1024 / 1024 > 50",
        "sum by (instance) (rate(node_disk_written_bytes_total[2m])) / 1024 / 1024 > 50",
        "(node_filesystem_avail_bytes * 100) / node_filesystem_size_bytes < 10 and node_filesystem_readonly == 0",
        "predict_linear(node_filesystem_avail_bytes{fstype!~\"tmpfs\"}[1h], 24 * 3600) < 0",
        "node_filesystem_files_free / node_filesystem_files * 100 < 10",
        "rate(node_disk_read_time_seconds_total[1m]) / rate(node_disk_reads_completed_total[1m]) > 0.1",
        "rate(node_disk_write_time_seconds_total[1m]) / rate(node_disk_writes_completed_total[1m]) > 0.1",
        "sum by (instance) (avg by (mode, instance) (rate(node_cpu_seconds_total{mode!=\"idle\"}[2m]))) > 0.8",
        "avg by (instance) (rate(node_cpu_seconds_total{mode=\"steal\"}[5m])) * 100 > 10",
        "avg by (instance) (rate(node_cpu_seconds_total{mode=\"iowait\"}[5m])) * 100 > 10",
        "rate(node_context_switches_total[5m]) / count without (cpu, mode) (node_cpu_seconds_total{mode=\"idle\"}) > 10000",
        "(1 - (node_memory_SwapFree_bytes / node_memory_SwapTotal_bytes)) * 100 > 80",
        "increase(node_vmstat_oom_kill[1m]) > 0",
        "node_load1 / count without (cpu, mode) (node_cpu_seconds_total{mode=\"idle\"}) > 2",
        "rate(node_vmstat_pgmajfault[1m]) > 1000",
        "node_filefd_allocated / node_filefd_maximum * 100 > 80",
        "changes(node_boot_time_seconds[5m]) > 0",
        "pg_up == 0",
        "sum by (datname) (pg_stat_activity_count) > 0.8 * on () group_left max(pg_settings_max_connections)",
        "rate(pg_stat_database_deadlocks[1m]) > 0",
        "rate(pg_stat_database_xact_rollback[3m]) / rate(pg_stat_database_xact_commit[3m]) > 0.02",
        "pg_stat_activity_max_tx_duration > 60",
        "rate(pg_stat_database_conflicts[1m]) > 0",
        "pg_stat_database_numbackends / on () group_left max(pg_settings_max_connections) > 0.9",
        "rate(pg_stat_database_blks_hit[5m]) / (rate(pg_stat_database_blks_hit[5m]) + rate(pg_stat_database_blks_read[5m])) < 0.98",
        "rate(pg_stat_database_temp_bytes[1m]) > 10000000",
        "absent(pg_up)",
    ]
}
