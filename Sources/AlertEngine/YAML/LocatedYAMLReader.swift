import MetricStore
import Yams

/// Walks a composed YAML tree and reports every mistake as a `LocatedError` at the node it
/// concerns. The one reader of the agent's config, rule files and rule test files.
///
/// It records each mistake and lets the caller carry on with the next key, so that a rule
/// file's errors all come out in one run, as `promtool check rules` prints them; readers
/// return nil for a value they refused. A caller that stops at the first mistake (the config)
/// throws `errors.first` as soon as there is one.
public final class LocatedYAMLReader {
    public typealias Entry = (key: String, keyNode: Node, value: Node)

    /// How scalars are typed. The two differ only where a file format chose differently.
    public enum Dialect: Sendable {
        /// As Prometheus reads its files (Go's YAML into typed structs): an empty value is the
        /// zero value (`""`, an empty list, no labels), and a quoted number is a string.
        case prometheus
        /// The agent's config: an empty value is refused (a key written without its value is
        /// a mistake, not a default), and a quoted number is still a number.
        case agent
    }

    public let file: String
    public let text: String
    public let dialect: Dialect
    /// The source lines, for what marks alone do not tell: where a repeated key is and where
    /// the text of a block scalar starts.
    let lines: [Substring]
    /// In the order they were found.
    public private(set) var errors: [LocatedError] = []

    public init(file: String, text: String, dialect: Dialect) {
        self.file = file
        self.text = text
        self.dialect = dialect
        self.lines = text.split(separator: "\n", omittingEmptySubsequences: false)
    }

    // MARK: Errors

    /// Where the node starts; 1:1 for a node without a mark.
    public func location(of node: Node?) -> SourceLocation {
        let mark = node?.mark
        return SourceLocation(file: file, line: mark?.line ?? 1, column: mark?.column ?? 1)
    }

    public func error(at node: Node?, _ message: String) -> LocatedError {
        LocatedError(at: location(of: node), message)
    }

    public func report(at node: Node?, _ message: String) {
        errors.append(error(at: node, message))
    }

    public func report(line: Int, column: Int, _ message: String) {
        errors.append(LocatedError(file: file, line: line, column: column, message))
    }

    // MARK: Structure

    /// The document's root; nil for an empty document and for text that is not YAML (reported),
    /// and for aliases that expand beyond `YAMLAliasBudget`'s bounds (reported before composing:
    /// composing such a text is itself exponential where an alias is a mapping key).
    public func compose() -> Node? {
        if let error = YAMLAliasBudget.check(text, file: file) {
            errors.append(error)
            return nil
        }
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

    /// The mapping's entries in file order. Unknown and repeated keys are reported and left
    /// out, so the known ones are still checked.
    public func mapping(_ node: Node, in section: String, allowed: [String]) -> [Entry]? {
        guard case .mapping(let mapping) = node else {
            report(at: node, "\(section) must be a mapping of keys to values, got \(describe(node))")
            return nil
        }
        var seen: Set<String> = []
        var entries: [Entry] = []
        for (keyNode, value) in mapping {
            guard case .scalar(let scalar) = keyNode else {
                report(at: keyNode, "keys in \(section) must be plain names, got \(describe(keyNode))")
                continue
            }
            guard allowed.contains(scalar.string) else {
                report(at: keyNode, "unknown key \"\(EchoedValue(scalar.string))\" in \(section); expected one of: \(allowed.joined(separator: ", "))")
                continue
            }
            // Yams refuses most repetitions while composing; this catches the rest.
            guard seen.insert(scalar.string).inserted else {
                report(at: keyNode, "key \"\(scalar.string)\" appears twice in \(section)")
                continue
            }
            entries.append((scalar.string, keyNode, value))
        }
        return entries
    }

    /// A list's items; in the Prometheus dialect an empty value (`rules:`) is an empty list.
    public func list(_ node: Node, _ what: String, of items: String? = nil) -> [Node]? {
        if dialect == .prometheus && isNull(node) { return [] }
        guard case .sequence(let sequence) = node else {
            report(at: node, "\(what) must be a list\(items.map { " of \($0)" } ?? ""), got \(describe(node))")
            return nil
        }
        return Array(sequence)
    }

    /// A list of strings (`[a, b]` or one item per line); items that are not are reported.
    public func strings(_ node: Node, _ what: String) -> [String]? {
        guard let items = list(node, what, of: "strings") else { return nil }
        let count = errors.count
        let strings = items.compactMap { string($0, "\(what) items") }
        return errors.count == count ? strings : nil
    }

    public func isNull(_ node: Node) -> Bool {
        guard case .scalar(let scalar) = node else { return false }
        return scalar.style == .plain && ["", "~", "null", "Null", "NULL"].contains(scalar.string)
    }

    /// The node as a message shows what was found: `'text'`, `nothing`, `a mapping`, `a list`.
    public func describe(_ node: Node) -> String {
        switch node {
        case .scalar(let scalar): return isNull(node) ? "nothing" : "'\(EchoedValue(scalar.string))'"
        case .mapping: return "a mapping"
        case .sequence: return "a list"
        case .alias: return "an alias"
        }
    }
}
