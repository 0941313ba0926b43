import MetricStore
import Yams

/// Walks a composed YAML tree for the rule and rule-test loaders. Unlike a reader that stops
/// at the first mistake, it records each one at the node it concerns and lets the loader carry
/// on with the next key, so that a file's errors all come out in one run, as
/// `promtool check rules` prints them. Readers return nil for a value they refused.
final class RuleYAMLReader {
    typealias Entry = (key: String, keyNode: Node, value: Node)

    let file: String
    let text: String
    /// The source lines, for what marks alone do not tell: where a repeated key is and where
    /// the text of a block scalar starts.
    let lines: [Substring]
    private(set) var errors: [RuleFileError] = []

    init(file: String, text: String) {
        self.file = file
        self.text = text
        self.lines = text.split(separator: "\n", omittingEmptySubsequences: false)
    }

    func report(at node: Node?, _ message: String) {
        let mark = node?.mark
        report(line: mark?.line ?? 1, column: mark?.column ?? 1, message)
    }

    func report(line: Int, column: Int, _ message: String) {
        errors.append(RuleFileError(file: file, line: line, column: column, message))
    }

    /// The document's root; nil for an empty document and for text that is not YAML (reported).
    func compose() -> Node? {
        do {
            return try Yams.compose(yaml: text)
        } catch YamlError.duplicatedKeysInMapping(let duplicates, let context) {
            reportDuplicateKey(duplicates.first ?? "", firstAt: context.mark)
        } catch let error as YamlError {
            switch error {
            case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _),
                .composer(let context, let problem, let mark, _):
                report(line: mark.line, column: mark.column, "invalid YAML: " + (context.map { "\($0.text): \(problem)" } ?? problem))
            default:
                report(line: 1, column: 1, "invalid YAML: \(error)")
            }
        } catch {
            report(line: 1, column: 1, "invalid YAML: \(error)")
        }
        return nil
    }

    /// Yams names the first occurrence of a repeated key; the mistake is the repetition: the
    /// next line with the same key at the same column before the mapping ends (a line that
    /// starts further left).
    private func reportDuplicateKey(_ key: String, firstAt first: Mark) {
        let spellings = [key, "\"\(key)\"", "'\(key)'"]
        for index in min(first.line, lines.count)..<lines.count {
            let scalars = Array(lines[index].unicodeScalars)
            guard let start = scalars.firstIndex(where: { $0 != " " }), scalars[start] != "#" else { continue }
            if start + 1 < first.column { break }
            guard start + 1 == first.column else { continue }
            let rest = String(String.UnicodeScalarView(scalars[start...]))
            for spelling in spellings where rest.hasPrefix(spelling) {
                if rest.dropFirst(spelling.count).drop(while: { $0 == " " }).hasPrefix(":") {
                    report(line: index + 1, column: first.column, "key \"\(key)\" appears twice in one mapping, first at line \(first.line)")
                    return
                }
            }
        }
        report(line: first.line, column: first.column, "key \"\(key)\" appears more than once in this mapping")
    }

    // MARK: Structure

    /// The mapping's entries in file order. Unknown keys are reported and left out, so the
    /// known ones are still checked.
    func mapping(_ node: Node, in section: String, allowed: [String]) -> [Entry]? {
        guard case .mapping(let mapping) = node else {
            report(at: node, "\(section) must be a mapping, got \(describe(node))")
            return nil
        }
        var entries: [Entry] = []
        for (keyNode, value) in mapping {
            guard case .scalar(let scalar) = keyNode else {
                report(at: keyNode, "keys in \(section) must be plain names, got \(describe(keyNode))")
                continue
            }
            guard allowed.contains(scalar.string) else {
                report(at: keyNode, "unknown key \"\(scalar.string)\" in \(section), expected one of: \(allowed.joined(separator: ", "))")
                continue
            }
            entries.append((scalar.string, keyNode, value))
        }
        return entries
    }

    /// A list's items; an empty value (`rules:`) is an empty list, as in Prometheus.
    func list(_ node: Node, _ what: String) -> [Node]? {
        if isNull(node) { return [] }
        guard case .sequence(let sequence) = node else {
            report(at: node, "\(what) must be a list, got \(describe(node))")
            return nil
        }
        return Array(sequence)
    }

    func isNull(_ node: Node) -> Bool {
        guard case .scalar(let scalar) = node else { return false }
        return scalar.style == .plain && ["", "~", "null", "Null", "NULL"].contains(scalar.string)
    }

    func describe(_ node: Node) -> String {
        switch node {
        case .scalar(let scalar): return isNull(node) ? "nothing" : "'\(scalar.string)'"
        case .mapping: return "a mapping"
        case .sequence: return "a list"
        case .alias: return "an alias"
        }
    }

    // MARK: Scalars

    /// Any scalar as text (`5` and `true` included, as Prometheus reads them into strings);
    /// an empty value is the empty string.
    func string(_ node: Node, _ what: String) -> String? {
        guard case .scalar(let scalar) = node else {
            report(at: node, "\(what) must be a string, got \(describe(node))")
            return nil
        }
        return isNull(node) ? "" : scalar.string
    }

    /// Like `string`, keeping where the text starts in the file.
    func locatedText(_ node: Node, _ what: String) -> LocatedText? {
        guard let string = string(node, what), case .scalar(let scalar) = node else { return nil }
        guard let mark = scalar.mark else { return LocatedText(string, line: 0, column: 0, isVerbatim: false) }
        return ScalarPlacement(lines: lines).locate(string, style: scalar.style, mark: mark)
    }

    func duration(_ node: Node, _ what: String) -> Int64? {
        guard let text = string(node, what) else { return nil }
        do {
            return try PrometheusDuration.milliseconds(parsing: text)
        } catch .outOfRange {
            let limit = PrometheusDuration.format(milliseconds: PrometheusDuration.maxMilliseconds)
            report(at: node, "\(what) must be a duration of at most \(limit) (about 292 years), got \(describe(node))")
        } catch {
            report(at: node, "\(what) must be a duration such as 5m, 1h30m or 500ms, got \(describe(node))")
        }
        return nil
    }

    func integer(_ node: Node, _ what: String, atLeast minimum: Int) -> Int? {
        guard case .scalar(let scalar) = node, scalar.style == .plain, let value = Int(scalar.string), value >= minimum else {
            report(at: node, "\(what) must be a whole number, \(minimum) or more, got \(describe(node))")
            return nil
        }
        return value
    }

    /// A YAML number: decimal, `0x`/`0o` integers, `.inf`, `-.inf`, `.nan`. Quoted text is a
    /// string in YAML, and refused here as Prometheus refuses it.
    func number(_ node: Node, _ what: String) -> Double? {
        guard case .scalar(let scalar) = node, scalar.style == .plain, let value = YAMLNumber.parse(scalar.string) else {
            report(at: node, "\(what) must be a number, got \(describe(node))")
            return nil
        }
        return value
    }

    func bool(_ node: Node, _ what: String) -> Bool? {
        if case .scalar(let scalar) = node, scalar.style == .plain {
            switch scalar.string {
            case "true", "True", "TRUE": return true
            case "false", "False", "FALSE": return false
            default: break
            }
        }
        report(at: node, "\(what) must be true or false, got \(describe(node))")
        return nil
    }

    // MARK: Label maps

    enum NameKind: String {
        /// A label name; `__name__` is refused, a rule cannot rename its series that way.
        case label
        case annotation
    }

    /// A mapping of names to string values (labels, annotations). Bad names are reported at
    /// their key and left out.
    func labels(_ node: Node, _ what: String, names kind: NameKind) -> Labels? {
        if isNull(node) { return .empty }
        guard case .mapping(let mapping) = node else {
            report(at: node, "\(what) must be a mapping of names to values, got \(describe(node))")
            return nil
        }
        var pairs: [Label] = []
        for (keyNode, valueNode) in mapping {
            guard case .scalar(let key) = keyNode else {
                report(at: keyNode, "\(kind.rawValue) names in \(what) must be plain names, got \(describe(keyNode))")
                continue
            }
            let name = key.string
            if !PrometheusNames.isValidLabelName(name) {
                report(at: keyNode, "invalid \(kind.rawValue) name \"\(name)\" in \(what): \(PrometheusNames.labelNameRule)")
            } else if kind == .label && name == Label.metricName {
                report(at: keyNode, "\(what) cannot set \(Label.metricName), the metric name")
            } else if let value = string(valueNode, "the value of \(kind.rawValue) \"\(name)\"") {
                pairs.append(Label(name, value))
            }
        }
        return Labels(pairs)
    }
}
