/// Stages 4, 6 and 7: the connection pool, lock waits, replication lag.
extension SignatureReaders {
    /// Per server: the pool above 90% of what ordinary roles may open, refusals, and where the
    /// trend leads; a rise that reaches the limit within 30 days is worth saying even below 90%.
    func connectionPool() -> [AdviseFinding] {
        signals.connectionUse.compactMap { use -> AdviseFinding? in
            let server = use.labels["server"].map { "PostgreSQL \($0)" } ?? "PostgreSQL"
            let clients = signals.clientBackends.first { $0.labels["server"] == use.labels["server"] }?.trend
            let maxConnections = signals.maxConnections.first { $0.labels["server"] == use.labels["server"] }?.trend.last.value
            let refusals = signals.connectionRefusals.filter { $0.labels["server"] == use.labels["server"] || $0.labels["server"] == nil }
            let refused = refusals.reduce(0) { $0 + $1.amount }
            let peak = use.trend.maximum
            let eta = use.trend.secondsUntil(1, rising: true)
            let forecastWorthSaying = eta.map { $0 > 0 && $0 <= 30 * 86400 && use.trend.last.value >= 0.5 } ?? false
            guard peak.value >= 0.9 || refused > 0 || forecastWorthSaying else { return nil }

            // The limit in connections: client backends over the ratio at the same step.
            let limit: Double? = clients.flatMap { clients in
                let last = use.trend.last
                guard last.value > 0, let count = clients.points.last(where: { $0.timestamp <= last.timestamp }) else { return nil }
                return (count.value / last.value).rounded()
            }
            var numbers: [String: Double] = ["connection_use_peak": peak.value]
            var story = "on \(server), "
            let peakCount = clients?.points.first { $0.timestamp == peak.timestamp }?.value ?? clients?.maximum.value
            if let peakCount, let limit {
                story += "client connections reached \(AdviseWording.number(peakCount)) of the \(AdviseWording.number(limit)) ordinary roles may open"
                numbers["connections_peak"] = peakCount
                numbers["connections_limit"] = limit
            } else {
                story += "client connections reached \(AdviseWording.percent(peak.value)) of what ordinary roles may open"
            }
            if let maxConnections {
                story += " (max_connections \(AdviseWording.number(maxConnections)))"
                numbers["max_connections"] = maxConnections
            }
            story += " at \(at(peak.timestamp))"
            if let first = use.trend.points.first, peak.value > first.value * 1.2 {
                story += ", up from \(AdviseWording.percent(first.value)) at \(at(first.timestamp))"
            }
            if refused > 0, let firstRefusal = refusals.map(\.firstAt).min() {
                story += "; PostgreSQL refused connections \(AdviseWording.number(refused)) time\(refused == 1 ? "" : "s") (\"too many clients\" or \"reserved slots\"), the first at \(at(firstRefusal))"
                numbers["connections_refused"] = refused
            }
            var forecast: AdviseForecast?
            if let eta {
                let limitText = maxConnections.map { "max_connections (\(AdviseWording.number($0)))" } ?? "the limit"
                forecast = AdviseForecast(
                    metric: "pg_connections_utilization_ratio", threshold: 1, etaSeconds: eta,
                    text: eta <= 0 ? "connections are at \(limitText) now" : "connections reach \(limitText) \(AdviseWording.eta(seconds: eta)) at this rate")
            }
            let severity: AdviseSeverity =
                refused > 0 || peak.value >= 1 ? .critical : peak.value >= 0.9 ? .warning : (eta ?? .infinity) <= 7 * 86400 ? .warning : .info
            return finding(
                "4-load-balanced", severity, "pg_pool_full", anchor: refused > 0 ? "PostgresConnectionsRefused" : "PostgresConnectionPoolNearFull",
                story, numbers, forecast: forecast)
        }
    }


    /// The longest lock wait, when over 30 s.
    func lockWaits() -> [AdviseFinding] {
        signals.oldestLockWait.compactMap { wait -> AdviseFinding? in
            let peak = wait.trend.maximum
            guard peak.value >= 30 else { return nil }
            let server = wait.labels["server"].map { "PostgreSQL \($0)" } ?? "PostgreSQL"
            return finding(
                "6-queue-workers", .warning, "pg_lock_waits", anchor: "PostgresLockWaits",
                "on \(server), a session had waited \(AdviseWording.span(seconds: peak.value)) for a lock at \(at(peak.timestamp)), the longest wait in the window",
                ["lock_wait_peak_seconds": peak.value])
        }
    }

    /// A standby more than 30 s behind.
    func replicationLag() -> [AdviseFinding] {
        signals.replicationLag.compactMap { lag -> AdviseFinding? in
            let peak = lag.trend.maximum
            guard peak.value >= 30 else { return nil }
            let server = lag.labels["server"].map { "the standby \($0)" } ?? "the standby"
            let now = lag.trend.last.value
            return finding(
                "7-replicas-shards", .warning, "pg_replication_lag", anchor: "PostgresReplicationLag",
                "\(server) fell \(AdviseWording.span(seconds: peak.value)) behind the primary at \(at(peak.timestamp)) (now \(AdviseWording.span(seconds: now))): reads from it were that stale",
                ["replication_lag_peak_seconds": peak.value, "replication_lag_seconds": now])
        }
    }
}
