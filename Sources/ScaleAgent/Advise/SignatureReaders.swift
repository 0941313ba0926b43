import MetricStore

/// Judges one host's signals signature by signature, with the rule pack's thresholds, and tells
/// each one found as a short causal story with its numbers. Each reader returns findings for
/// this host alone; `CrossHostReasoning` then decides what they mean for the whole system.
struct SignatureReaders {
    let signals: HostSignals
    let window: AdviseWindow

    /// Every reader's findings on the host.
    func findings() -> [AdviseFinding] {
        oomKills() + memoryLow() + cpuSaturation() + connectionPool() + lockWaits() + replicationLag() + listenOverflows()
            + filesystems() + requestErrors() + requestLatency() + upstreamPileUp()
    }

    private var withDate: Bool { window.end - window.start > 86_400_000 }
    private func at(_ milliseconds: Int64) -> String { AdviseWording.clock(milliseconds, withDate: withDate) }

    private func finding(
        _ stage: String, _ severity: AdviseSeverity, _ signature: String, anchor: String, _ evidence: String,
        _ numbers: [String: Double], forecast: AdviseForecast? = nil
    ) -> AdviseFinding {
        AdviseFinding(
            stage: stage, severity: severity, signature: signature, hosts: [signals.host], evidence: evidence, numbers: numbers,
            forecast: forecast, nextStep: StageCatalogue.nextStep(alert: anchor) ?? "", alerts: [])
    }

    // MARK: stage 1: memory

    /// Kills the journal named (process, pid, RSS, cgroup) or the kernel counted, with how the
    /// memory fell before the first.
    func oomKills() -> [AdviseFinding] {
        let victims = signals.oomVictims
        let eventVictims = signals.events.filter { $0.kind == "oom_kill" && !victims.map(\.pid).contains($0.details["pid"] ?? "") }
        let counted = signals.oomKills?.amount ?? 0
        let killCount = max(counted, Double(victims.count + eventVictims.count))
        guard killCount > 0 else { return [] }
        var sentences: [String] = []
        for victim in victims.prefix(3) {
            let size = victim.rssBytes.map { ", \(AdviseWording.bytes($0))" } ?? ""
            let cgroup = victim.cgroup.isEmpty ? "" : " in \(victim.cgroup)"
            sentences.append("at \(at(victim.time)) the kernel killed `\(victim.process)` (pid \(victim.pid)\(size))\(cgroup)")
        }
        for event in eventVictims.prefix(max(0, 3 - victims.count)) {
            sentences.append("at \(at(event.time)) \(event.summary)")
        }
        if sentences.isEmpty, let first = signals.oomKills?.firstAt {
            sentences.append("the kernel's OOM killer killed \(AdviseWording.number(counted)) process\(counted == 1 ? "" : "es"), the first at \(at(first))")
        } else if killCount > Double(sentences.count) {
            sentences.append("\(AdviseWording.number(killCount)) kills in all")
        }
        var numbers: [String: Double] = ["oom_kills": killCount]
        if let victim = victims.first, let rss = victim.rssBytes { numbers["victim_rss_bytes"] = rss }
        let firstKill = victims.first?.time ?? eventVictims.map(\.time).min() ?? signals.oomKills?.firstAt
        if let firstKill, let fall = memoryFall(before: firstKill) {
            sentences.append(
                "memory available had fallen from \(AdviseWording.bytes(fall.from.value)) to \(AdviseWording.bytes(fall.to.value)) in \(AdviseWording.span(seconds: Double(fall.to.timestamp - fall.from.timestamp) / 1000))")
            numbers["memory_available_before_bytes"] = fall.from.value
            numbers["memory_available_min_bytes"] = fall.to.value
        }
        if let firstKill, let grown = serviceGrowth(before: firstKill) {
            sentences.append(
                "\(grown.unit) had grown from \(AdviseWording.bytes(grown.from)) to \(AdviseWording.bytes(grown.to)) in the hour before")
            numbers["service_memory_grown_bytes"] = grown.to - grown.from
        }
        let anchor = victims.isEmpty && eventVictims.isEmpty ? "HostOOMKill" : "ProcessOOMKilled"
        return [finding("1-single-server", .critical, "oom_kill", anchor: anchor, sentences.joined(separator: "; "), numbers)]
    }

    /// Where memory available stood before it fell (the last point within 2% of the hour's
    /// highest) and the lowest it reached by `time`, when it fell by at least a quarter.
    private func memoryFall(before time: Int64) -> (from: Sample, to: Sample)? {
        guard let memory = signals.memoryAvailable else { return nil }
        let before = memory.points.filter { $0.timestamp <= time && $0.timestamp >= time - 3_600_000 }
        guard let highest = before.max(by: { $0.value < $1.value }),
            let low = before.filter({ $0.timestamp >= highest.timestamp }).min(by: { $0.value < $1.value }),
            let high = before.last(where: { $0.timestamp < low.timestamp && $0.value >= highest.value * 0.98 }),
            low.value < high.value * 0.75
        else { return nil }
        return (high, low)
    }

    /// The service whose memory grew most in the hour before `time`, when by at least 100 MiB
    /// and a quarter: usually the one that ate the memory (often the database on stage 1).
    private func serviceGrowth(before time: Int64) -> (unit: String, from: Double, to: Double)? {
        let grown = signals.serviceMemory.compactMap { service -> (unit: String, from: Double, to: Double)? in
            let hour = service.trend.points.filter { $0.timestamp <= time && $0.timestamp >= time - 3_600_000 }
            guard let low = hour.min(by: { $0.value < $1.value }),
                let high = hour.filter({ $0.timestamp > low.timestamp }).max(by: { $0.value < $1.value }),
                high.value - low.value >= 100 * 1_048_576, high.value >= low.value * 1.25
            else { return nil }
            return (service.labels["unit"] ?? "a service", low.value, high.value)
        }
        return grown.max { $0.to - $0.from < $1.to - $1.from }
    }

    /// Memory available under 10% of the total without a kill (a kill tells the story itself).
    func memoryLow() -> [AdviseFinding] {
        guard let memory = signals.memoryAvailable, let total = signals.memoryTotal, total > 0,
            signals.oomKills == nil, signals.oomVictims.isEmpty
        else { return [] }
        let low = memory.minimum
        guard low.value / total < 0.10 else { return [] }
        var story = "memory available fell to \(AdviseWording.bytes(low.value)) (\(AdviseWording.percent(low.value / total)) of \(AdviseWording.bytes(total))) at \(at(low.timestamp))"
        var forecast: AdviseForecast?
        if let eta = memory.secondsUntil(0, rising: false), eta > 0 {
            story += "; it is still falling"
            forecast = AdviseForecast(
                metric: "node_memory_MemAvailable_bytes", threshold: 0, etaSeconds: eta,
                text: "memory available runs out \(AdviseWording.eta(seconds: eta)) at this rate")
        }
        return [
            finding(
                "1-single-server", .warning, "memory_low", anchor: "HostMemoryAvailableLow", story,
                ["memory_available_min_bytes": low.value, "memory_total_bytes": total], forecast: forecast)
        ]
    }

    // MARK: stage 3: CPU

    /// Busy above 90% for at least 10 minutes of the window.
    func cpuSaturation() -> [AdviseFinding] {
        guard let busy = signals.cpuBusy else { return [] }
        let saturated = busy.duration(atOrAbove: 0.9, step: window.step)
        guard saturated >= 600_000, let from = busy.firstReaching(0.9, rising: true) else { return [] }
        var story =
            "CPU was over 90% busy for \(AdviseWording.span(seconds: Double(saturated) / 1000)) from \(at(from.timestamp)) (peak \(AdviseWording.percent(busy.maximum.value)) at \(at(busy.maximum.timestamp)))"
        var numbers = ["cpu_busy_peak": busy.maximum.value, "cpu_saturated_seconds": Double(saturated) / 1000]
        if let load = signals.loadPerCore, load.maximum.value >= 1 {
            story += "; the run queue reached \(AdviseWording.number((load.maximum.value * 10).rounded() / 10)) per core"
            numbers["load_per_core_peak"] = load.maximum.value
        }
        return [finding("3-monitoring", .warning, "cpu_saturation", anchor: "HostCPUSaturated", story, numbers)]
    }

    // MARK: stage 4: the connection pool

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

    // MARK: stage 6 and 7: the one primary, replicas

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

    /// Connections dropped because an accept queue was full.
    func listenOverflows() -> [AdviseFinding] {
        guard let overflows = signals.listenOverflows, overflows.amount >= 100 else { return [] }
        return [
            finding(
                "3-monitoring", .warning, "listen_overflow", anchor: "HostListenQueueOverflows",
                "the kernel dropped \(AdviseWording.number(overflows.amount)) incoming connections because a listen queue was full, the first at \(at(overflows.firstAt)): the application did not accept them fast enough",
                ["listen_overflows": overflows.amount])
        ]
    }

    // MARK: stage 2 and 5: what users see

    /// More than 5% of a virtual host's requests answered 5xx for 5 minutes or more; mostly
    /// 504s is an upstream that did not answer in time (stage 5), other errors stage 2.
    func requestErrors() -> [AdviseFinding] {
        signals.errorRatio.compactMap { errors -> AdviseFinding? in
            let above = errors.trend.duration(atOrAbove: 0.05, step: window.step)
            guard above >= 300_000, let from = errors.trend.firstReaching(0.05, rising: true) else { return nil }
            let vhost = errors.labels["vhost"].map { " on \($0)" } ?? ""
            let peak = errors.trend.maximum
            var story =
                "\(AdviseWording.percent(peak.value)) of the requests\(vhost) got a 5xx answer at \(at(peak.timestamp)), above 5% for \(AdviseWording.span(seconds: Double(above) / 1000)) from \(at(from.timestamp))"
            var numbers = ["error_ratio_peak": peak.value, "error_seconds": Double(above) / 1000]
            let timeouts = signals.timeoutRatio.first { $0.labels["vhost"] == errors.labels["vhost"] }?.trend.maximum.value ?? 0
            let slowUpstream = timeouts >= peak.value / 2
            if slowUpstream {
                story += "; most were 504s (\(AdviseWording.percent(timeouts)) of the requests): an upstream did not answer in time"
                numbers["timeout_ratio_peak"] = timeouts
            }
            return finding(
                slowUpstream ? "5-cache-cdn" : "2-database-split", .critical, slowUpstream ? "slow_upstream" : "request_errors",
                anchor: slowUpstream ? "HTTPUpstreamTimeouts" : "HTTPErrorRatioHigh", story, numbers)
        }
    }

    /// A virtual host's 95th percentile of request time above 1 s for 10 minutes or more.
    func requestLatency() -> [AdviseFinding] {
        signals.latencyP95.compactMap { latency -> AdviseFinding? in
            let slow = latency.trend.duration(atOrAbove: 1, step: window.step)
            guard slow >= 600_000, let from = latency.trend.firstReaching(1, rising: true) else { return nil }
            let vhost = latency.labels["vhost"].map { " on \($0)" } ?? ""
            let peak = latency.trend.maximum
            return finding(
                "2-database-split", .warning, "request_latency", anchor: "HTTPRequestLatencyHigh",
                "one request in twenty\(vhost) took longer than 1 s for \(AdviseWording.span(seconds: Double(slow) / 1000)) from \(at(from.timestamp)); the 95th percentile peaked at \(AdviseWording.number((peak.value * 10).rounded() / 10)) s at \(at(peak.timestamp))",
                ["latency_p95_peak_seconds": peak.value, "latency_slow_seconds": Double(slow) / 1000])
        }
    }

    /// Established connections to one endpoint at least 20 and three times their usual number
    /// (the window's median): the workers are parked on a slow upstream.
    func upstreamPileUp() -> [AdviseFinding] {
        signals.upstreamConnections.compactMap { connections -> AdviseFinding? in
            let values = connections.trend.points.map(\.value).sorted()
            let usual = values[values.count / 2]
            let peak = connections.trend.maximum
            guard peak.value >= 20, peak.value >= 3 * max(usual, 1) else { return nil }
            let remote = connections.labels["remote"] ?? "one endpoint"
            return finding(
                "5-cache-cdn", .warning, "upstream_pileup", anchor: "UpstreamConnectionsPilingUp",
                "connections to \(remote) piled up from a usual \(AdviseWording.number(usual)) to \(AdviseWording.number(peak.value)) at \(at(peak.timestamp)): workers were waiting on it",
                ["upstream_connections_peak": peak.value, "upstream_connections_usual": usual])
        }
    }

    // MARK: stage 1: the disk

    /// A file system under 5% free, or one whose trend fills it within a week.
    func filesystems() -> [AdviseFinding] {
        signals.filesystemAvailable.compactMap { available -> AdviseFinding? in
            let mountpoint = available.labels["mountpoint"] ?? "?"
            guard let size = signals.filesystemSize.first(where: { $0.labels["mountpoint"] == available.labels["mountpoint"] })?.trend.last.value,
                size > 0
            else { return nil }
            let now = available.trend.last.value
            // A trend needs an hour of history to be more than noise.
            let eta = available.trend.last.timestamp - available.trend.first.timestamp >= 3_600_000
                ? available.trend.secondsUntil(0, rising: false) : nil
            let filling = eta.map { $0 > 0 && $0 <= 7 * 86400 } ?? false
            guard now / size < 0.05 || filling else { return nil }
            var story = "the file system \(mountpoint) has \(AdviseWording.bytes(now)) free (\(AdviseWording.percent(now / size)) of \(AdviseWording.bytes(size)))"
            if available.trend.first.value > now * 1.05 {
                story += ", down from \(AdviseWording.bytes(available.trend.first.value)) at \(at(available.trend.first.timestamp))"
            }
            let forecast = eta.map {
                AdviseForecast(
                    metric: "node_filesystem_avail_bytes{mountpoint=\"\(mountpoint)\"}", threshold: 0, etaSeconds: $0,
                    text: "the file system \(mountpoint) fills \(AdviseWording.eta(seconds: $0)) at this rate")
            }
            return finding(
                "1-single-server", now / size < 0.05 ? .critical : .warning, "filesystem_filling",
                anchor: now / size < 0.05 ? "HostFilesystemAlmostFull" : "HostFilesystemFillingUp", story,
                ["filesystem_available_bytes": now, "filesystem_size_bytes": size], forecast: forecast)
        }
    }
}
