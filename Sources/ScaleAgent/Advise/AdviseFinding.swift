/// One thing advise found: the stage whose "what breaks" it is, on which hosts, the evidence
/// as a short story with its numbers, a forecast where a trend allows one, and the usual next
/// step.
public struct AdviseFinding: Sendable, Equatable {
    /// The rule pack's `stage` label value, e.g. `4-load-balanced`.
    public var stage: String
    public var severity: AdviseSeverity
    /// The rule pack's `signature` label value, e.g. `pg_pool_full`.
    public var signature: String
    /// The hosts that show it, the worst first.
    public var hosts: [String]
    public var evidence: String
    /// The evidence's numbers (of the first host), by name: `cpu_busy_peak`, `connections_peak`…
    public var numbers: [String: Double]
    public var forecast: AdviseForecast?
    public var nextStep: String
    /// The alerts of the pack seen for it in the window.
    public var alerts: [String]

    var stageTitle: String { StageCatalogue.title(stage) }

    /// Severity first, then the stage, then the signature, so that the report is stable.
    static func ordered(_ findings: [AdviseFinding]) -> [AdviseFinding] {
        findings.sorted {
            ($0.severity, StageCatalogue.number($0.stage), $0.signature, $0.hosts.first ?? "")
                < ($1.severity, StageCatalogue.number($1.stage), $1.signature, $1.hosts.first ?? "")
        }
    }
}
