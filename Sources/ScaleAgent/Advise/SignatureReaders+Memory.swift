import MetricStore

/// Stage 1: OOM kills and memory.
extension SignatureReaders {
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
}
