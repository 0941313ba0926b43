import AlertEngine
import MetricStore

/// Reads one source's `HostSignals`: one range query per key series over the window, the
/// `ALERTS` series, and (from an agent) its current alerts and recent events. The expressions
/// are the rule pack's without their thresholds, so that advise judges what the alerts judge.
enum HostSignalReader {
    static let cpuBusy =
        #"sum(rate(node_cpu_seconds_total{mode!~"idle|iowait|steal"}[5m])) / count(node_cpu_seconds_total{mode="idle"})"#
    static let loadPerCore = #"node_load5 / on () count(node_cpu_seconds_total{mode="idle"})"#
    /// The access log's request rate per virtual host, and the condition that there is enough
    /// traffic to judge (0.1 request/s, as the pack's request alerts require).
    static let requestRate = "sum by (vhost) (rate(nginx_http_response_count_total[5m]))"
    static let enoughTraffic = "and on (vhost) \(requestRate) > 0.1"
    static let errorRatio =
        #"sum by (vhost) (rate(nginx_http_response_count_total{status=~"5.."}[5m])) / "# + requestRate + " " + enoughTraffic
    static let timeoutRatio =
        #"sum by (vhost) (rate(nginx_http_response_count_total{status="504"}[5m])) / "# + requestRate + " " + enoughTraffic
    static let latencyP95 =
        "histogram_quantile(0.95, sum by (vhost, le) (rate(nginx_http_response_time_seconds_hist_bucket[5m]))) " + enoughTraffic
    static let upstreamConnections =
        #"sum by (remote) (scalewatch_tcp_outbound_connections{state="established", remote!="other"})"#
    static let realFilesystems = #"fstype!~"tmpfs|ramfs|devtmpfs|squashfs|overlay|nsfs|proc|sysfs""#

    static func read(_ source: AdviseSource, _ window: AdviseWindow) async throws -> HostSignals {
        var signals = HostSignals(host: source.name)
        func trends(_ expr: String) async throws -> [HostSignals.Labelled] {
            try await source.range(expr, window).compactMap { series in
                SeriesTrend(series.points).map { HostSignals.Labelled(labels: series.labels, trend: $0) }
            }
        }
        signals.cpuBusy = try await trends(cpuBusy).first?.trend
        signals.loadPerCore = try await trends(loadPerCore).first?.trend
        signals.memoryAvailable = try await trends("node_memory_MemAvailable_bytes").first?.trend
        signals.memoryTotal = try await trends("node_memory_MemTotal_bytes").first?.trend.last.value
        signals.oomKills = increases(try await source.range("sum(node_vmstat_oom_kill)", window)).first
        signals.oomVictims = victims(try await source.range("scalewatch_oom_last_kill_timestamp_seconds", window),
            rss: try await source.range("scalewatch_oom_last_victim_rss_bytes", window), window: window)
        signals.postgresServers = Set(try await trends("pg_up").compactMap { $0.labels["server"] }).sorted()
        signals.connectionUse = try await trends("pg_connections_utilization_ratio")
        signals.clientBackends = try await trends("pg_stat_activity_client_backends")
        signals.maxConnections = try await trends("pg_settings_max_connections")
        signals.connectionRefusals = increases(
            try await source.range(
                #"sum by (server, kind) (scalewatch_postgres_log_errors_total{kind=~"too_many_clients|reserved_connection_slots"})"#, window))
        signals.oldestLockWait = try await trends("pg_locks_oldest_wait_seconds")
        signals.replicationLag = try await trends("pg_replication_lag")
        signals.listenOverflows = increases(try await source.range("sum(node_netstat_TcpExt_ListenOverflows)", window)).first
        signals.filesystemAvailable = try await trends("node_filesystem_avail_bytes{\(realFilesystems)}")
        signals.filesystemSize = try await trends("node_filesystem_size_bytes{\(realFilesystems)}")
        signals.serviceMemory = try await trends("scalewatch_service_memory_bytes")
        signals.errorRatio = try await trends(errorRatio)
        signals.timeoutRatio = try await trends(timeoutRatio)
        signals.latencyP95 = try await trends(latencyP95)
        signals.upstreamConnections = try await trends(upstreamConnections)
        signals.alerts = AdviseAlert.merged(alerts(try await source.range("timestamp(ALERTS)", window)) + (try await source.currentAlerts()))
        signals.events = try await source.events().filter { $0.time >= window.start && $0.time <= window.end }
        return signals
    }

    /// Growth of each counter series over the window, counting a drop as a reset (as
    /// `increase` does); only series that grew.
    static func increases(_ series: [RangeSeries]) -> [HostSignals.Increase] {
        series.compactMap { series in
            var amount = 0.0
            var firstAt: Int64?
            let points = series.points.filter { $0.value.isFinite }
            for (previous, point) in zip(points, points.dropFirst()) {
                let delta = point.value >= previous.value ? point.value - previous.value : point.value
                if delta > 0 {
                    amount += delta
                    firstAt = firstAt ?? point.timestamp
                }
            }
            guard let firstAt, amount > 0 else { return nil }
            return HostSignals.Increase(labels: series.labels, amount: amount, firstAt: firstAt)
        }
    }

    /// The victims whose kill time falls in the window, with their RSS where known.
    static func victims(_ killTimes: [RangeSeries], rss: [RangeSeries], window: AdviseWindow) -> [HostSignals.OOMVictim] {
        killTimes.compactMap { series -> HostSignals.OOMVictim? in
            guard let seconds = series.points.last?.value, seconds.isFinite, abs(seconds) < 9e12 else { return nil }
            let time = Int64(seconds * 1000)
            guard time >= window.start, time <= window.end else { return nil }
            let key = series.labels.removing(Label.metricName)
            let bytes = rss.first { $0.labels.removing(Label.metricName) == key }?.points.last?.value
            return HostSignals.OOMVictim(
                process: series.labels["process"] ?? "?", pid: series.labels["pid"] ?? "?", cgroup: series.labels["cgroup"] ?? "",
                time: time, rssBytes: bytes)
        }
        .sorted { $0.time < $1.time }
    }

    /// `timestamp(ALERTS)` series as alerts: the first and last sample's own time (not the
    /// steps, which the lookback stretches by up to five minutes), and whether any was firing.
    static func alerts(_ series: [RangeSeries]) -> [AdviseAlert] {
        series.compactMap { series in
            let times = series.points.map(\.value).filter { $0.isFinite && abs($0) < 9e12 }
            guard let name = series.labels["alertname"], let first = times.first, let last = times.last else { return nil }
            var labels: [String: String] = [:]
            for label in series.labels.pairs where label.name != Label.metricName && label.name != "alertstate" { labels[label.name] = label.value }
            return AdviseAlert(
                name: name, labels: labels, firstSeen: Int64(first * 1000), lastSeen: Int64(last * 1000),
                fired: series.labels["alertstate"] == "firing", summary: nil)
        }
    }
}
