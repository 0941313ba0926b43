/// The stages and their usual next steps, read from where the rule pack keeps them rather than
/// copied: titles and signatures from the status page's `StageSignal.all` (the `stage` label
/// values), next steps from the shipped runbooks' "Next step" sections (docs/runbooks/).
enum StageCatalogue {
    /// "Stage 4 · many app boxes, one database"; the id itself for an unknown stage.
    static func title(_ stage: String) -> String {
        StageSignal.all.first { $0.id == stage }?.title ?? stage
    }

    /// What breaks at the stage, in a few words.
    static func signature(_ stage: String) -> String? {
        StageSignal.all.first { $0.id == stage }?.signature
    }

    /// 1…7 from `4-load-balanced`; the agent's own alerts and unknown stages sort after them.
    static func number(_ stage: String) -> Int {
        stage.first?.wholeNumberValue ?? 99
    }

    /// The "Next step" section of the alert's runbook as one paragraph; nil for an alert
    /// without a shipped runbook.
    static func nextStep(alert: String) -> String? {
        guard let runbook = ShippedRunbooks.byName[alert], let heading = runbook.range(of: "## Next step\n") else { return nil }
        var section = runbook[heading.upperBound...]
        if let following = section.range(of: "\n## ") { section = section[..<following.lowerBound] }
        let text = section.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }.joined(separator: " ")
        return text.isEmpty ? nil : text
    }
}
