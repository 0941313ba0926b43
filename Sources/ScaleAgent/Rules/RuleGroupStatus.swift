import AlertEngine

/// What a rule group's last evaluation left for readers: `/metrics`, `/api/v1/rules`,
/// `/api/v1/alerts` and the notifier.
struct RuleGroupStatus: Sendable {
    /// The group as loaded: its rules in file order, interval and limit.
    var group: CompiledRuleGroup
    var evaluations = 0
    var failures = 0
    /// Seconds the group's last evaluation took.
    var lastDuration: Double = 0
    /// Unix milliseconds of the last evaluation; nil before the first.
    var lastEvaluation: Int64?
    /// Per rule (index in `group.rules`), seconds its last evaluation took.
    var ruleDurations: [Double] = []
    var alerts: [AlertSnapshot] = []
    /// Per rule, the error last logged, so that a persisting error is logged once.
    var lastErrors: [String: String] = [:]

    init(group: CompiledRuleGroup) {
        self.group = group
    }

    var file: String { group.file }
    var name: String { group.name }
    var rules: Int { group.rules.count }
}
