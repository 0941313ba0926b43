import AlertEngine
import MetricStore

/// `/api/v1/rules`' filters as Prometheus reads them: `type` (`alert` or `record`),
/// `rule_name[]`, `rule_group[]`, `file[]` (each kept when empty, else any of its values
/// matches) and `exclude_alerts`.
struct RuleFilter: Sendable {
    let kind: Rule.Kind?
    let names: Set<String>
    let groups: Set<String>
    let files: Set<String>
    let excludeAlerts: Bool

    init(_ parameters: APIParameters) throws(APIError) {
        switch parameters.value("type").lowercased() {
        case "": kind = nil
        case "alert": kind = .alerting
        case "record": kind = .recording
        case let other: throw APIError.invalidParameter("type", "not supported value \(JSONWriter.quoted(other))")
        }
        names = Set(parameters.form.values("rule_name[]"))
        groups = Set(parameters.form.values("rule_group[]"))
        files = Set(parameters.form.values("file[]"))
        switch parameters.value("exclude_alerts").lowercased() {
        case "", "0", "f", "false": excludeAlerts = false
        case "1", "t", "true": excludeAlerts = true
        case let other:
            throw APIError.invalidParameter(
                "exclude_alerts", "error converting exclude_alerts: strconv.ParseBool: parsing \(JSONWriter.quoted(other)): invalid syntax")
        }
    }

    func keeps(group: CompiledRuleGroup) -> Bool {
        (groups.isEmpty || groups.contains(group.name)) && (files.isEmpty || files.contains(group.file))
    }

    func keeps(rule: CompiledRule) -> Bool {
        (kind == nil || kind == rule.kind) && (names.isEmpty || names.contains(rule.name))
    }
}
