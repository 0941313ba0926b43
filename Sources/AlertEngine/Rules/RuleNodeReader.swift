import Yams

/// Reads one rule of a rule file and checks it as `promtool check rules` does: record or
/// alert but not both, a valid metric name to record into, an expression, and no alerting
/// settings on a recording rule.
enum RuleNodeReader {
    static let ruleKeys = ["record", "alert", "expr", "for", "keep_firing_for", "labels", "annotations"]

    static func rule(_ node: Node, _ reader: LocatedYAMLReader, _ checkExpression: RuleFileLoader.ExpressionCheck?) -> Rule? {
        guard let entries = reader.mapping(node, in: "rule", allowed: ruleKeys) else { return nil }
        var record: (name: String, node: Node)?
        var alert: (name: String, node: Node)?
        // Whether record or alert is written at all: one that is there but not a string has
        // been reported as such, and is not reported missing as well.
        var kindKeyPresent = false
        var exprNode: Node?
        var expr: LocatedText?
        // Settings a recording rule must not have, with where they are written.
        var alertOnly: [(key: String, node: Node)] = []
        var rule = Rule(
            kind: .recording, name: "", expr: LocatedText("", line: 0, column: 0), line: node.mark?.line ?? 0,
            column: node.mark?.column ?? 0)
        for (key, keyNode, value) in entries {
            switch key {
            case "record":
                kindKeyPresent = true
                if let name = reader.string(value, "record") { record = (name, value) }
            case "alert":
                kindKeyPresent = true
                if let name = reader.string(value, "alert") { alert = (name, value) }
            case "expr":
                exprNode = value
                expr = reader.locatedText(value, "expr")
            case "for":
                rule.forDuration = reader.duration(value, "for") ?? 0
                if rule.forDuration != 0 { alertOnly.append((key, keyNode)) }
            case "keep_firing_for":
                rule.keepFiringFor = reader.duration(value, "keep_firing_for") ?? 0
                if rule.keepFiringFor != 0 { alertOnly.append((key, keyNode)) }
            case "labels":
                rule.labels = reader.labels(value, "rule labels", names: .label) ?? .empty
            case "annotations":
                rule.annotations = reader.labels(value, "annotations", names: .annotation) ?? .empty
                if !rule.annotations.isEmpty { alertOnly.append((key, keyNode)) }
            default:
                preconditionFailure("BUG: rule key \(key) allowed but not handled")
            }
        }

        // An empty `record:` or `alert:` counts as absent, as in Prometheus.
        if let record, record.name.isEmpty { reader.report(at: record.node, "record must not be empty") }
        if let alert, alert.name.isEmpty { reader.report(at: alert.node, "alert must not be empty") }
        switch (record.flatMap { $0.name.isEmpty ? nil : $0 }, alert.flatMap { $0.name.isEmpty ? nil : $0 }) {
        case (let record?, let alert?):
            // Reported at whichever of the two comes second, the one that made the rule wrong.
            let recordPlace = (record.node.mark?.line ?? 0, record.node.mark?.column ?? 0)
            let alertPlace = (alert.node.mark?.line ?? 0, alert.node.mark?.column ?? 0)
            reader.report(at: recordPlace > alertPlace ? record.node : alert.node, "a rule has either record or alert, not both")
        case (let record?, nil):
            rule.kind = .recording
            rule.name = record.name
            if !PrometheusNames.isValidMetricName(record.name) {
                reader.report(at: record.node, "invalid recording rule name \"\(record.name)\": \(PrometheusNames.metricNameRule)")
            }
            for (key, keyNode) in alertOnly {
                reader.report(at: keyNode, "\(key) is only for alerting rules, and \"\(record.name)\" is a recording rule")
            }
        case (nil, let alert?):
            rule.kind = .alerting
            rule.name = alert.name
        case (nil, nil):
            if !kindKeyPresent { reader.report(at: node, "a rule needs record (a recording rule) or alert (an alerting rule)") }
        }

        if let expr {
            rule.expr = expr
            if expr.text.isEmpty {
                reader.report(at: exprNode, "expr must not be empty")
            } else if let problem = checkExpression?(expr.text) {
                let place = expr.fileLocation(line: problem.line, column: problem.column)
                reader.report(line: place.line, column: place.column, "invalid expr: \(problem.message)")
            }
        } else if exprNode == nil {
            reader.report(at: node, "a rule needs expr, the PromQL expression it evaluates")
        }
        return rule
    }
}
