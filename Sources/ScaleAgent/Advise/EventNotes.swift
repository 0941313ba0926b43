/// The agent's recent events as evidence: a unit's failure as the journal worded it, a
/// PostgreSQL refusal or crash from its log, added to the finding they explain (the OOM victims
/// are the OOM reader's own). A unit failure nobody alerted on any more (the alert's 15 minutes
/// passed) still becomes a finding; a PostgreSQL error only adds to one.
enum EventNotes {
    /// The finding signature a PostgreSQL error kind explains.
    static let postgresSignature = [
        "too_many_clients": "pg_pool_full", "reserved_connection_slots": "pg_pool_full", "deadlock": "pg_deadlock",
        "terminated_by_signal": "oom_kill", "crash_of_another_process": "oom_kill", "out_of_memory": "oom_kill",
        "could_not_fork": "oom_kill",
    ]
    /// Events quoted per finding: enough to show the pattern, few enough to read.
    static let quoted = 2

    static func add(_ events: [AdviseEvent], to findings: [AdviseFinding], host: String, window: AdviseWindow) -> [AdviseFinding] {
        var findings = findings
        let withDate = window.end - window.start > 86_400_000
        func note(_ event: AdviseEvent) -> String {
            "at \(AdviseWording.clock(event.time, withDate: withDate)) \(event.summary)"
        }
        let oldestFirst = events.sorted { $0.time < $1.time }
        let failures = oldestFirst.filter { $0.kind == "unit_failure" }
        if !failures.isEmpty {
            let told = failures.prefix(quoted).map(note).joined(separator: "; ")
            if let index = findings.firstIndex(where: { ["unit_failed", "unit_restart_loop"].contains($0.signature) }) {
                findings[index].evidence += "; the journal: " + told
            } else {
                findings.append(
                    AdviseFinding(
                        stage: "3-monitoring", severity: .warning, signature: "unit_failed", hosts: [host],
                        evidence: told + (failures.count > quoted ? "; \(failures.count) failures in all" : ""),
                        numbers: ["unit_failures": Double(failures.count)], forecast: nil,
                        nextStep: StageCatalogue.nextStep(alert: "UnitFailed") ?? "", alerts: []))
            }
        }
        var quotedPer: [String: Int] = [:]
        for event in oldestFirst where event.kind == "postgres_error" {
            guard let signature = postgresSignature[event.details["kind"] ?? ""],
                let index = findings.firstIndex(where: { $0.signature == signature }), quotedPer[signature, default: 0] < quoted
            else { continue }
            quotedPer[signature, default: 0] += 1
            findings[index].evidence += "; " + note(event)
        }
        return findings
    }
}
