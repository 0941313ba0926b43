import MetricStore

/// Loads rule files and prepares them for evaluation, checking everything `promtool check
/// rules` checks: the YAML structure, every expression (a PromQL error points at the file's
/// line and column, not the expression's) and every label and annotation template.
public enum RuleCompiler {
    public static func load(paths: [String], defaultInterval: Int64) throws(RuleFileErrors) -> [CompiledRuleGroup] {
        var groups: [CompiledRuleGroup] = []
        var errors: [RuleFileError] = []
        for path in paths {
            do {
                groups += try compile(RuleFileLoader.load(path: path, checkExpression: checkExpression), defaultInterval: defaultInterval)
            } catch {
                errors += error.errors
            }
        }
        guard errors.isEmpty else { throw RuleFileErrors(errors) }
        return groups
    }

    public static func compile(_ file: RuleFile, defaultInterval: Int64) throws(RuleFileErrors) -> [CompiledRuleGroup] {
        var errors: [RuleFileError] = []
        var groups: [CompiledRuleGroup] = []
        for group in file.groups {
            var rules: [CompiledRule] = []
            for rule in group.rules {
                do {
                    rules.append(try compile(rule, group: group, file: file.file))
                } catch {
                    errors.append(error)
                }
            }
            groups.append(CompiledRuleGroup(
                file: file.file, name: group.name, interval: group.interval ?? defaultInterval, limit: group.limit ?? 0,
                queryOffset: group.queryOffset ?? 0, rules: rules))
        }
        guard errors.isEmpty else { throw RuleFileErrors(errors) }
        return groups
    }

    /// The loader's hook: a PromQL error as a position inside the expression text.
    public static func checkExpression(_ text: String) -> ExpressionProblem? {
        do {
            _ = try PromQLParser.parse(text)
            return nil
        } catch {
            let (line, column) = lineAndColumn(of: error.position, in: text)
            return ExpressionProblem(line: line, column: column, error.message)
        }
    }

    private static func compile(_ rule: Rule, group: RuleGroup, file: String) throws(RuleFileError) -> CompiledRule {
        let expr: Expr
        do {
            expr = try PromQLParser.parse(rule.expr.text)
        } catch {
            let inText = lineAndColumn(of: error.position, in: rule.expr.text)
            let location = rule.expr.fileLocation(line: inText.line, column: inText.column)
            throw RuleFileError(file: file, line: location.line, column: location.column, error.message)
        }
        // Group labels apply to every rule; the rule's own labels win.
        var labels = group.labels
        for label in rule.labels.pairs { labels = labels.adding(label.name, label.value) }
        let ruleName = "\(rule.kind == .alerting ? "alert" : "record") \(rule.name)"
        func templates(_ pairs: Labels, _ kind: String) throws(RuleFileError) -> [(name: String, template: AlertTemplate)] {
            var compiled: [(name: String, template: AlertTemplate)] = []
            for label in pairs.pairs {
                do {
                    compiled.append((label.name, try AlertTemplate(
                        AlertTemplate.alertVariableDefinitions + label.value, name: "__alert_\(rule.name)")))
                } catch {
                    throw RuleFileError(file: file, line: rule.line, column: rule.column, "\(ruleName): \(kind) \"\(label.name)\": \(error)")
                }
            }
            return compiled
        }
        return CompiledRule(
            rule: rule, expr: expr, labels: labels,
            labelTemplates: rule.kind == .alerting ? try templates(labels, "label") : [],
            annotationTemplates: try templates(rule.annotations, "annotation"))
    }

    /// 1-based line and column of a character offset.
    static func lineAndColumn(of position: Int, in text: String) -> (line: Int, column: Int) {
        var line = 1
        var column = 1
        for (offset, character) in text.unicodeScalars.enumerated() {
            if offset == position { break }
            if character == "\n" {
                line += 1
                column = 1
            } else {
                column += 1
            }
        }
        return (line, column)
    }
}
