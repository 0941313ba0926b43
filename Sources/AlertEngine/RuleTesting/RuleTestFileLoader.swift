import MetricStore
import Yams

/// Reads promtool's rule unit-test files. Like the rule file loader it refuses unknown keys
/// and bad values at their file, line and column, all of a file's mistakes at once, and it
/// checks the series notation (`series`, `values`, `labels`) while loading, where promtool
/// only finds those mistakes when a test runs.
public enum RuleTestFileLoader {
    static let topKeys = ["rule_files", "evaluation_interval", "fuzzy_compare", "group_eval_order", "tests"]
    static let groupKeys = [
        "name", "interval", "input_series", "alert_rule_test", "promql_expr_test", "external_labels", "external_url",
        "start_timestamp",
    ]

    public static func load(path: String) throws(RuleFileErrors) -> RuleTestFile {
        try parse(try RuleFileText.read(path), file: path)
    }

    /// `rule_files` are looked up relative to the directory of `file`.
    public static func parse(_ text: String, file: String) throws(RuleFileErrors) -> RuleTestFile {
        let reader = LocatedYAMLReader(file: file, text: text, dialect: .prometheus)
        var testFile = RuleTestFile(file: file)
        if let root = reader.compose(), !reader.isNull(root), let entries = reader.mapping(root, in: "the top level", allowed: topKeys) {
            var testsNode: Node?
            for (key, _, value) in entries {
                switch key {
                case "rule_files": readRuleFiles(value, into: &testFile, reader)
                case "evaluation_interval":
                    // 0 leaves the default, as in promtool.
                    if let interval = reader.duration(value, "evaluation_interval"), interval > 0 { testFile.evaluationInterval = interval }
                case "fuzzy_compare": testFile.fuzzyCompare = reader.bool(value, "fuzzy_compare") ?? false
                case "group_eval_order": testFile.groupEvalOrder = readGroupEvalOrder(value, reader)
                case "tests": testsNode = value
                default: preconditionFailure("BUG: key \(key) allowed but not handled")
                }
            }
            // Read last: a test's interval defaults to evaluation_interval, wherever that is.
            if let testsNode {
                testFile.tests = (reader.list(testsNode, "tests") ?? []).compactMap {
                    readTestGroup($0, defaultInterval: testFile.evaluationInterval, reader)
                }
            }
        }
        guard reader.errors.isEmpty else { throw RuleFileErrors(reader.errors) }
        return testFile
    }

    private static func readRuleFiles(_ node: Node, into testFile: inout RuleTestFile, _ reader: LocatedYAMLReader) {
        let directory = RuleFileGlob.directory(of: testFile.file)
        for item in reader.list(node, "rule_files") ?? [] {
            guard let pattern = reader.locatedText(item, "a rule_files entry") else { continue }
            guard !pattern.text.isEmpty else {
                reader.report(at: item, "a rule_files entry must not be empty")
                continue
            }
            testFile.ruleFilePatterns.append(pattern)
            do {
                let paths = try RuleFileGlob.paths(matching: RuleFileGlob.resolve(pattern.text, relativeTo: directory))
                if paths.isEmpty { testFile.unmatchedRuleFilePatterns.append(pattern.text) }
                for path in paths where !testFile.ruleFiles.contains(path) { testFile.ruleFiles.append(path) }
            } catch {
                reader.report(at: item, error.description)
            }
        }
    }

    private static func readGroupEvalOrder(_ node: Node, _ reader: LocatedYAMLReader) -> [String] {
        var names: [String] = []
        var firstLine: [String: Int] = [:]
        for item in reader.list(node, "group_eval_order") ?? [] {
            guard let name = reader.string(item, "a group_eval_order entry") else { continue }
            if let line = firstLine[name] {
                reader.report(at: item, "group \"\(name)\" is already listed in group_eval_order at line \(line)")
                continue
            }
            firstLine[name] = item.mark?.line ?? 0
            names.append(name)
        }
        return names
    }

    private static func readTestGroup(_ node: Node, defaultInterval: Int64, _ reader: LocatedYAMLReader) -> RuleTestGroup? {
        guard let entries = reader.mapping(node, in: "test", allowed: groupKeys) else { return nil }
        var group = RuleTestGroup(interval: defaultInterval, line: node.mark?.line ?? 0, column: node.mark?.column ?? 0)
        for (key, _, value) in entries {
            switch key {
            case "name":
                let name = reader.string(value, "name") ?? ""
                group.name = name.isEmpty ? nil : name
            case "interval":
                if let interval = reader.duration(value, "interval"), interval > 0 { group.interval = interval }
            case "input_series":
                group.inputSeries = (reader.list(value, "input_series") ?? []).compactMap {
                    RuleTestItemReader.inputSeries($0, reader)
                }
            case "alert_rule_test":
                group.alertRuleTests = (reader.list(value, "alert_rule_test") ?? []).compactMap {
                    RuleTestItemReader.alertRuleTest($0, reader)
                }
            case "promql_expr_test":
                group.promqlExprTests = (reader.list(value, "promql_expr_test") ?? []).compactMap {
                    RuleTestItemReader.promQLExprTest($0, reader)
                }
            case "external_labels":
                group.externalLabels = reader.labels(value, "external_labels", names: .label) ?? .empty
            case "external_url":
                group.externalURL = reader.string(value, "external_url")
            case "start_timestamp":
                guard let text = reader.string(value, "start_timestamp") else { continue }
                if let start = StartTimestamp.parse(text) {
                    group.startTimestamp = start
                } else {
                    reader.report(
                        at: value,
                        "start_timestamp must be Unix seconds or an RFC 3339 time such as 2021-01-01T00:00:00Z, got \(reader.describe(value))")
                }
            default:
                preconditionFailure("BUG: key \(key) allowed but not handled")
            }
        }
        return group
    }
}
