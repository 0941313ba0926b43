/// The report for a person at a terminal: the verdict first, then each finding as stage,
/// evidence, forecast and next step, then each host's headroom and the sources that could not
/// be read.
enum AdviseReportText {
    static func render(_ report: AdviseReport) -> String {
        var lines: [String] = []
        let readable = report.sources.count - report.unreadable.count
        lines.append(
            "Window: \(AdviseWording.clock(report.window.start, withDate: true)) to \(AdviseWording.clock(report.window.end, withDate: true)) UTC "
                + "(\(AdviseWording.span(seconds: report.window.seconds))), \(readable) of \(report.sources.count) source\(report.sources.count == 1 ? "" : "s") read")
        lines.append(report.verdict)
        for (index, finding) in report.findings.enumerated() {
            lines.append("")
            lines.append("\(index + 1). [\(finding.severity.rawValue)] \(finding.stageTitle) — \(finding.signature) on \(finding.hosts.joined(separator: ", "))")
            lines.append("   Evidence: \(sentence(finding.evidence, hosts: finding.hosts)).")
            if let forecast = finding.forecast { lines.append("   Forecast: \(forecast.text).") }
            if !finding.alerts.isEmpty { lines.append("   Alerts: \(finding.alerts.joined(separator: ", "))") }
            if !finding.nextStep.isEmpty { lines.append("   Next step: \(finding.nextStep)") }
        }
        if !report.headroom.isEmpty {
            lines.append("")
            lines.append("Headroom:")
            for host in report.headroom { lines.append("  \(host.host): \(host.text)") }
        }
        for source in report.unreadable {
            lines.append("")
            lines.append("Could not read \(source.locationText): \(source.error ?? "")")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The evidence as a sentence: capitalised, unless it opens with a host's name (which is
    /// spelled as given), without a full stop of its own.
    private static func sentence(_ text: String, hosts: [String]) -> String {
        var text = text
        while text.hasSuffix(".") { text.removeLast() }
        if hosts.contains(where: { text.hasPrefix($0 + ":") }) { return text }
        return text.prefix(1).uppercased() + text.dropFirst()
    }
}
