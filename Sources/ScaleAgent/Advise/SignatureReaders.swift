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

    var withDate: Bool { window.end - window.start > 86_400_000 }
    func at(_ milliseconds: Int64) -> String { AdviseWording.clock(milliseconds, withDate: withDate) }

    func finding(
        _ stage: String, _ severity: AdviseSeverity, _ signature: String, anchor: String, _ evidence: String,
        _ numbers: [String: Double], forecast: AdviseForecast? = nil
    ) -> AdviseFinding {
        AdviseFinding(
            stage: stage, severity: severity, signature: signature, hosts: [signals.host], evidence: evidence, numbers: numbers,
            forecast: forecast, nextStep: StageCatalogue.nextStep(alert: anchor) ?? "", alerts: [])
    }
}
