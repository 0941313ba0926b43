import MetricStore
import Yams

/// Reads the entries of a rule test group: input series, alert tests and expression tests.
enum RuleTestItemReader {
    static let seriesKeys = ["series", "values"]
    static let alertTestKeys = ["eval_time", "alertname", "exp_alerts"]
    static let alertKeys = ["exp_labels", "exp_annotations"]
    static let exprTestKeys = ["expr", "eval_time", "exp_samples"]
    static let sampleKeys = ["labels", "value"]

    static func inputSeries(_ node: Node, _ reader: LocatedYAMLReader) -> InputSeries? {
        guard let entries = reader.mapping(node, in: "input series", allowed: seriesKeys) else { return nil }
        var series: (text: LocatedText, labels: Labels)?
        var values: (text: LocatedText, values: [Double?])?
        var seriesPresent = false
        for (key, _, value) in entries {
            if key == "series" {
                seriesPresent = true
                guard let text = reader.locatedText(value, "series") else { continue }
                guard !text.text.allSatisfy(\.isWhitespace) else {
                    reader.report(at: value, "series must name a series, such as up{job=\"api\"}")
                    continue
                }
                if let labels = notation(text, "series", reader, LabelSetLiteral.parse) { series = (text, labels) }
            } else {
                guard let text = reader.locatedText(value, "values") else { continue }
                let expand = { (text: String) throws(SeriesNotationError) in try SeriesNotation.expand(text) }
                if let expanded = notation(text, "values", reader, expand) { values = (text, expanded) }
            }
        }
        if !seriesPresent { reader.report(at: node, "an input series needs series, such as up{job=\"api\"}") }
        guard let series else { return nil }
        let valuesText = values?.text ?? LocatedText("", line: series.text.line, column: series.text.column)
        return InputSeries(labels: series.labels, values: values?.values ?? [], series: series.text, valuesText: valuesText)
    }

    static func alertRuleTest(_ node: Node, _ reader: LocatedYAMLReader) -> AlertRuleTest? {
        guard let entries = reader.mapping(node, in: "alert_rule_test entry", allowed: alertTestKeys) else { return nil }
        var test = AlertRuleTest(evalTime: 0, alertname: "", expectedAlerts: [], line: node.mark?.line ?? 0, column: node.mark?.column ?? 0)
        var alertnameNode: Node?
        for (key, _, value) in entries {
            switch key {
            case "eval_time": test.evalTime = reader.duration(value, "eval_time") ?? 0
            case "alertname":
                alertnameNode = value
                test.alertname = reader.string(value, "alertname") ?? ""
            case "exp_alerts": test.expectedAlerts = (reader.list(value, "exp_alerts") ?? []).compactMap { expectedAlert($0, reader) }
            default: preconditionFailure("BUG: key \(key) allowed but not handled")
            }
        }
        if test.alertname.isEmpty {
            reader.report(at: alertnameNode ?? node, "an alert_rule_test entry needs alertname, the name of the alert it checks")
        }
        return test
    }

    private static func expectedAlert(_ node: Node, _ reader: LocatedYAMLReader) -> ExpectedAlert? {
        guard let entries = reader.mapping(node, in: "expected alert", allowed: alertKeys) else { return nil }
        var alert = ExpectedAlert()
        for (key, _, value) in entries {
            if key == "exp_labels" {
                alert.labels = reader.labels(value, "exp_labels", names: .label) ?? .empty
            } else {
                alert.annotations = reader.labels(value, "exp_annotations", names: .annotation) ?? .empty
            }
        }
        return alert
    }

    static func promQLExprTest(_ node: Node, _ reader: LocatedYAMLReader) -> PromQLExprTest? {
        guard let entries = reader.mapping(node, in: "promql_expr_test entry", allowed: exprTestKeys) else { return nil }
        var expr: LocatedText?
        var exprNode: Node?
        var evalTime: Int64 = 0
        var samples: [ExpectedSample] = []
        for (key, _, value) in entries {
            switch key {
            case "expr":
                exprNode = value
                expr = reader.locatedText(value, "expr")
            case "eval_time": evalTime = reader.duration(value, "eval_time") ?? 0
            case "exp_samples": samples = (reader.list(value, "exp_samples") ?? []).compactMap { expectedSample($0, reader) }
            default: preconditionFailure("BUG: key \(key) allowed but not handled")
            }
        }
        guard let expr, !expr.text.isEmpty else {
            if exprNode == nil || expr != nil {
                reader.report(at: exprNode ?? node, "a promql_expr_test entry needs expr, the PromQL expression it evaluates")
            }
            return nil
        }
        return PromQLExprTest(
            expr: expr, evalTime: evalTime, expectedSamples: samples, line: node.mark?.line ?? 0, column: node.mark?.column ?? 0)
    }

    private static func expectedSample(_ node: Node, _ reader: LocatedYAMLReader) -> ExpectedSample? {
        guard let entries = reader.mapping(node, in: "expected sample", allowed: sampleKeys) else { return nil }
        // Both may be left out, as in promtool: no labels for a scalar result, and value 0.
        var sample = ExpectedSample(labels: .empty, value: 0)
        for (key, _, value) in entries {
            if key == "labels" {
                guard let text = reader.locatedText(value, "labels") else { continue }
                sample.labels = notation(text, "labels", reader, LabelSetLiteral.parse) ?? .empty
            } else {
                sample.value = reader.number(value, "value") ?? 0
            }
        }
        return sample
    }

    /// Runs a series-notation parser on a string from the file, reporting its error at the
    /// file position it points to.
    private static func notation<Result>(
        _ text: LocatedText, _ what: String, _ reader: LocatedYAMLReader, _ parse: (String) throws(SeriesNotationError) -> Result
    ) -> Result? {
        do {
            return try parse(text.text)
        } catch {
            let place = text.fileLocation(scalarOffset: error.offset)
            // A block scalar's line breaks, shown escaped to keep the message on one line.
            let quoted = text.text.split(separator: "\n", omittingEmptySubsequences: false).joined(separator: "\\n")
            reader.report(line: place.line, column: place.column, "invalid \(what) \"\(quoted)\": \(error.message)")
            return nil
        }
    }
}
