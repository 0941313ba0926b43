import AlertEngine
import Hummingbird
import MetricStore

/// `/api/v1/alerts` and `/api/v1/rules` in the shapes of Prometheus' `web/api/v1/api.go`
/// (its `Alert`, `RuleGroup`, `AlertingRule` and `RecordingRule`), made from what each rule
/// group published after its last evaluation.
///
/// As in Prometheus, only pending and firing alerts are listed (a resolved one is gone), an
/// alert's value is Go's `%e` shortest form (`"1e+00"`), a time never set is Go's zero time,
/// and a group whose rules the filters all removed is left out.
struct RulesEndpoints: Sendable {
    let groups: @Sendable () -> [RuleGroupStatus]

    func alerts(_ parameters: APIParameters) -> Response {
        let alerts = groups().flatMap { status in status.group.rules.flatMap { Self.activeAlerts(of: $0, in: status) } }
        return APIResponse.success { json in
            json.beginObject()
            json.key("alerts")
            json.beginArray()
            for alert in alerts { Self.write(alert, &json) }
            json.endArray()
            json.endObject()
        }
    }

    func rules(_ parameters: APIParameters) throws(APIError) -> Response {
        let filter = try RuleFilter(parameters)
        let groups = groups().filter { filter.keeps(group: $0.group) }
        return APIResponse.success { json in
            json.beginObject()
            json.key("groups")
            json.beginArray()
            for status in groups {
                let rules = status.group.rules.indices.filter { filter.keeps(rule: status.group.rules[$0]) }
                guard !rules.isEmpty else { continue }
                json.beginObject()
                json.key("name")
                json.string(status.name)
                json.key("file")
                json.string(status.file)
                json.key("rules")
                json.beginArray()
                for index in rules { Self.write(rule: index, of: status, withAlerts: !filter.excludeAlerts, &json) }
                json.endArray()
                json.key("interval")
                json.number(Double(status.group.interval) / 1000)
                json.key("limit")
                json.integer(status.group.limit)
                json.key("evaluationTime")
                json.number(status.lastDuration)
                json.key("lastEvaluation")
                json.string(Self.time(status.lastEvaluation))
                json.endObject()
            }
            json.endArray()
            json.endObject()
        }
    }

    /// The rule's pending and firing alerts, in label order (Prometheus' order is a map's).
    static func activeAlerts(of rule: CompiledRule, in status: RuleGroupStatus) -> [AlertSnapshot] {
        guard rule.kind == .alerting else { return [] }
        return status.alerts
            .filter { $0.rule == rule.name && $0.expression == rule.rule.expr.text && $0.state != .inactive }
            .sorted { $0.labels < $1.labels }
    }

    private static func write(rule index: Int, of status: RuleGroupStatus, withAlerts: Bool, _ json: inout JSONWriter) {
        let rule = status.group.rules[index]
        let error = status.lastErrors[rule.name]
        json.beginObject()
        if rule.kind == .alerting {
            let alerts = activeAlerts(of: rule, in: status)
            json.key("state")
            json.string(alerts.contains { $0.state == .firing } ? "firing" : alerts.isEmpty ? "inactive" : "pending")
            json.key("name")
            json.string(rule.name)
            json.key("query")
            json.string(rule.rule.expr.text)
            json.key("duration")
            json.number(Double(rule.rule.forDuration) / 1000)
            json.key("keepFiringFor")
            json.number(Double(rule.rule.keepFiringFor) / 1000)
            json.key("labels")
            writeLabels(rule.labels, &json)
            json.key("annotations")
            writeLabels(rule.rule.annotations, &json)
            json.key("alerts")
            json.beginArray()
            if withAlerts { for alert in alerts { write(alert, &json) } }
            json.endArray()
        } else {
            json.key("name")
            json.string(rule.name)
            json.key("query")
            json.string(rule.rule.expr.text)
            if !rule.labels.isEmpty {
                json.key("labels")
                writeLabels(rule.labels, &json)
            }
        }
        json.key("health")
        json.string(status.lastEvaluation == nil ? "unknown" : error == nil ? "ok" : "err")
        if let error {
            json.key("lastError")
            json.string(error)
        }
        json.key("evaluationTime")
        json.number(index < status.ruleDurations.count ? status.ruleDurations[index] : 0)
        json.key("lastEvaluation")
        json.string(time(status.lastEvaluation))
        json.key("type")
        json.string(rule.kind == .alerting ? "alerting" : "recording")
        json.endObject()
    }

    static func write(_ alert: AlertSnapshot, _ json: inout JSONWriter) {
        json.beginObject()
        json.key("labels")
        writeLabels(alert.labels, &json)
        json.key("annotations")
        writeLabels(alert.annotations, &json)
        json.key("state")
        json.string(alert.state.rawValue)
        if let activeAt = alert.activeAt {
            json.key("activeAt")
            json.string(RFC3339Format.string(milliseconds: activeAt))
        }
        json.key("value")
        json.string(exponentForm(alert.value))
        json.endObject()
    }

    static func writeLabels(_ labels: Labels, _ json: inout JSONWriter) {
        json.beginObject()
        for label in labels.pairs {
            json.key(label.name)
            json.string(label.value)
        }
        json.endObject()
    }

    /// Go's `strconv.FormatFloat(value, 'e', -1, 64)`.
    static func exponentForm(_ value: Double) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value < 0 ? "-Inf" : "+Inf" }
        return PrometheusFloat.shortest(value, verb: "e")
    }

    /// Go's zero `time.Time` stands for "never", as Prometheus reports a group not yet evaluated.
    static func time(_ milliseconds: Int64?) -> String {
        milliseconds.map { RFC3339Format.string(milliseconds: $0) } ?? "0001-01-01T00:00:00Z"
    }
}
