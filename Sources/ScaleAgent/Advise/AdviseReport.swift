/// What advise concludes: the findings in order (severity, then stage), the headroom of each
/// host, the sources that could not be read, and from these the verdict and the exit status.
public struct AdviseReport: Sendable {
    public struct SourceOutcome: Sendable, Equatable {
        public var name: String
        public var location: AdviseSource.Location
        /// Why it could not be read; nil when it was.
        public var error: String?

        public var locationText: String {
            switch location {
            case .agent(let url): url
            case .dataDirectory(let path): path
            }
        }
    }

    public var window: AdviseWindow
    public var sources: [SourceOutcome]
    public var findings: [AdviseFinding]
    public var headroom: [HostHeadroom]

    /// Findings that break something now (warning or critical); `info` ones are trends.
    public var breaking: [AdviseFinding] { findings.filter { $0.severity <= .warning } }

    public var unreadable: [SourceOutcome] { sources.filter { $0.error != nil } }

    /// `breaking`, `quiet`, or `unreadable` when no source could be read.
    public var status: String {
        if unreadable.count == sources.count { return "unreadable" }
        return breaking.isEmpty ? "quiet" : "breaking"
    }

    /// The stage of the worst finding; nil when nothing is breaking.
    public var stage: String? { breaking.first?.stage }

    /// One sentence.
    public var verdict: String {
        switch status {
        case "unreadable":
            return "No source could be read, so nothing can be said."
        case "quiet":
            let trends = findings.count
            return "Nothing is breaking." + (trends > 0 ? " \(trends) trend\(trends == 1 ? "" : "s") to watch." : "")
        default:
            let top = breaking[0]
            let what = StageCatalogue.signature(top.stage).map { ": \($0)" } ?? ""
            let more = breaking.count > 1 ? " (\(breaking.count) findings)" : ""
            return "The system has reached \(top.stageTitle)\(what)\(more)."
        }
    }

    /// 2 when a source could not be read, else 1 when something is breaking, else 0 (nothing,
    /// or only trends to watch).
    public var exitStatus: Int32 {
        if !unreadable.isEmpty { return 2 }
        return breaking.isEmpty ? 0 : 1
    }

    /// The report for a terminal.
    public var text: String { AdviseReportText.render(self) }

    /// `--output json`.
    public var json: String { AdviseReportJSON.render(self) }
}
