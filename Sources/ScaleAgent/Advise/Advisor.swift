/// `scalewatch advise`: reads every source's signals over the window, judges each host, then
/// the system as a whole. A source that cannot be read is reported by name and the others are
/// still used.
public enum Advisor {
    public static func advise(_ sources: [AdviseSource], window: AdviseWindow) async -> AdviseReport {
        var outcomes: [AdviseReport.SourceOutcome] = []
        var hosts: [(signals: HostSignals, findings: [AdviseFinding])] = []
        for source in sources {
            do {
                let signals = try await HostSignalReader.read(source, window)
                let findings = SignatureReaders(signals: signals, window: window).findings()
                let withAlerts = AlertFindings.fold(signals.alerts, into: findings, host: signals.host, window: window)
                hosts.append((signals, EventNotes.add(signals.events, to: withAlerts, host: signals.host, window: window)))
                outcomes.append(AdviseReport.SourceOutcome(name: source.name, location: source.location, error: nil))
            } catch {
                outcomes.append(AdviseReport.SourceOutcome(name: source.name, location: source.location, error: "\(error)"))
            }
        }
        return AdviseReport(
            window: window, sources: outcomes, findings: CrossHostReasoning.combine(hosts), headroom: hosts.map { HostHeadroom($0.signals) })
    }
}
