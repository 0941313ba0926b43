/// The alerts of the pack seen on a host in the window, folded into the findings of the
/// signature readers: an alert whose signature a reader already told adds its name there; any
/// other becomes a finding of its own, told from its labels and times, with its runbook's next
/// step. An alert that was only pending is a trend to watch (`info`). The heartbeat (Watchdog) always fires and says nothing about the system.
enum AlertFindings {
    /// Signatures the readers tell under another name's story.
    static let toldWith = ["pg_connections_refused": "pg_pool_full"]

    static func fold(_ alerts: [AdviseAlert], into findings: [AdviseFinding], host: String, window: AdviseWindow) -> [AdviseFinding] {
        var findings = findings
        let withDate = window.end - window.start > 86_400_000
        for alert in alerts where alert.signature != "heartbeat" && alert.name != "Watchdog" {
            let signature = alert.signature ?? alert.name
            let told = toldWith[signature] ?? signature
            if let index = findings.firstIndex(where: { $0.signature == told }) {
                if !findings[index].alerts.contains(alert.name) { findings[index].alerts.append(alert.name) }
                continue
            }
            // A pending alert has not held for its `for` yet: a signal approaching its threshold,
            // worth naming, not yet breaking.
            let severity: AdviseSeverity = !alert.fired ? .info : alert.severity == "critical" ? .critical : .warning
            var story = "\(alert.name)"
            let place = alert.whereLabels.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ", ")
            if !place.isEmpty { story += " (\(place))" }
            story += alert.fired ? " fired" : " was pending"
            let first = alert.firstSeen.map { AdviseWording.clock($0, withDate: withDate) }
            let last = alert.lastSeen.map { AdviseWording.clock($0, withDate: withDate) }
            if let first, let last, first != last {
                story += " from \(first) to \(last)"
            } else if let when = first ?? last {
                story += " at \(when)"
            }
            if let summary = alert.summary, !summary.isEmpty { story += ": \(summary)" }
            if let index = findings.firstIndex(where: { $0.signature == signature && $0.alerts.first != nil && $0.numbers.isEmpty }) {
                findings[index].evidence += "; " + story
                if !findings[index].alerts.contains(alert.name) { findings[index].alerts.append(alert.name) }
                findings[index].severity = min(findings[index].severity, severity)
                continue
            }
            findings.append(
                AdviseFinding(
                    stage: alert.stage ?? "agent", severity: severity, signature: signature, hosts: [host], evidence: story, numbers: [:],
                    forecast: nil, nextStep: StageCatalogue.nextStep(alert: alert.name) ?? "", alerts: [alert.name]))
        }
        return findings
    }
}
