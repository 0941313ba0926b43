/// Reads the hosts' findings as one system: a stage describes the whole system, not one box.
///
/// - CPU saturated on application hosts (hosts without PostgreSQL) is stage 3, whatever the
///   database host does: more application boxes behind a load balancer is the next step, and
///   the story says how idle the database host was.
/// - CPU saturated only on the database host while the application hosts have room is the
///   database's stage (4: every box hits the same rows, one hot query), not "add app servers".
/// - A full pool on the database host while the application hosts are not CPU-bound is the
///   database stage as well; the story says so.
/// - The same signature on several hosts is one finding naming them all, the worst first.
enum CrossHostReasoning {
    static func combine(_ hosts: [(signals: HostSignals, findings: [AdviseFinding])]) -> [AdviseFinding] {
        let several = hosts.count > 1
        let databaseHosts = Set(hosts.filter { $0.signals.isDatabaseHost }.map(\.signals.host))
        let applicationHosts = hosts.filter { !$0.signals.isDatabaseHost }.map(\.signals)
        let saturatedApplicationHosts = Set(
            hosts.flatMap(\.findings).filter { $0.signature == "cpu_saturation" && !databaseHosts.contains($0.hosts[0]) }.map { $0.hosts[0] })

        var all: [AdviseFinding] = []
        for (signals, findings) in hosts {
            for var finding in findings {
                if several { finding.evidence = "\(signals.host): \(finding.evidence)" }
                if several && finding.signature == "cpu_saturation" && signals.isDatabaseHost && saturatedApplicationHosts.isEmpty
                    && !applicationHosts.isEmpty
                {
                    finding.stage = "4-load-balanced"
                    finding.nextStep = StageCatalogue.nextStep(alert: "PostgresHotStatement") ?? finding.nextStep
                }
                all.append(finding)
            }
        }
        // What the other hosts did is said once, after the hosts that show a signature are joined.
        var combined = merged(all)
        for index in combined.indices where several {
            let finding = combined[index]
            let onDatabase = finding.hosts.allSatisfy { databaseHosts.contains($0) }
            switch finding.signature {
            case "cpu_saturation" where onDatabase && saturatedApplicationHosts.isEmpty && !applicationHosts.isEmpty:
                combined[index].evidence +=
                    "; the application hosts had room (\(cpuPeaks(applicationHosts))): the database is the bottleneck, usually one hot query"
            case "cpu_saturation" where !onDatabase:
                let idle = hosts.map(\.signals).filter { $0.isDatabaseHost && !finding.hosts.contains($0.host) }
                let busyDatabase = combined.contains { $0.signature == "cpu_saturation" && $0.hosts.contains { databaseHosts.contains($0) } }
                if !idle.isEmpty && !busyDatabase {
                    combined[index].evidence += "; the database host had room (\(cpuPeaks(idle))): the application tier is the bottleneck"
                }
            case "pg_pool_full" where saturatedApplicationHosts.isEmpty && !applicationHosts.isEmpty:
                combined[index].evidence += "; the application hosts were not CPU-bound (\(cpuPeaks(applicationHosts)))"
            default:
                break
            }
        }
        return AdviseFinding.ordered(combined)
    }

    /// "app1:9470 peak 35%, app2:9470 peak 41%".
    private static func cpuPeaks(_ hosts: [HostSignals]) -> String {
        hosts.map { host in
            host.cpuBusy.map { "\(host.host) CPU peak \(AdviseWording.percent($0.maximum.value))" } ?? "\(host.host) no CPU data"
        }.joined(separator: ", ")
    }

    /// One finding per stage and signature: hosts in order of severity, stories joined, the
    /// worst host's numbers, the nearest forecast, every alert.
    static func merged(_ findings: [AdviseFinding]) -> [AdviseFinding] {
        var merged: [AdviseFinding] = []
        for finding in AdviseFinding.ordered(findings) {
            guard let index = merged.firstIndex(where: { $0.stage == finding.stage && $0.signature == finding.signature }) else {
                merged.append(finding)
                continue
            }
            var existing = merged[index]
            for host in finding.hosts where !existing.hosts.contains(host) { existing.hosts.append(host) }
            existing.evidence += ". " + finding.evidence
            existing.severity = min(existing.severity, finding.severity)
            for alert in finding.alerts where !existing.alerts.contains(alert) { existing.alerts.append(alert) }
            if let next = finding.forecast?.etaSeconds, next < (existing.forecast?.etaSeconds ?? .infinity) {
                existing.forecast = finding.forecast
            }
            merged[index] = existing
        }
        return merged
    }
}
