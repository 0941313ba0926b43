import AlertEngine
import Yams

/// Walks a composed YAML tree and turns every mistake into a `ConfigError` that points at the
/// offending node: the agent must say which line is wrong, not just that the file is.
struct YAMLReader {
    let file: String

    func error(at node: Node?, _ message: String) -> ConfigError {
        let mark = node?.mark
        return ConfigError(file: file, line: mark?.line ?? 1, column: mark?.column ?? 1, message)
    }

    /// Parses the text; an empty document is nil.
    func compose(_ text: String) throws(ConfigError) -> Node? {
        do {
            return try Yams.compose(yaml: text)
        } catch YamlError.duplicatedKeysInMapping(let duplicates, _) {
            throw duplicateKey(duplicates.first ?? "", in: text)
        } catch let yamlError as YamlError {
            throw translate(yamlError)
        } catch {
            throw ConfigError(file: file, line: 1, column: 1, "cannot parse YAML: \(error)")
        }
    }

    private func translate(_ error: YamlError) -> ConfigError {
        switch error {
        case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _),
            .composer(let context, let problem, let mark, _):
            let text = context.map { "\($0.text): \(problem)" } ?? problem
            return ConfigError(file: file, line: mark.line, column: mark.column, "invalid YAML: \(text)")
        default:
            return ConfigError(file: file, line: 1, column: 1, "invalid YAML: \(error)")
        }
    }

    /// Yams reports a repeated key at the start of its mapping; point at the repetition
    /// instead, the second line that sets the key at the same indentation.
    private func duplicateKey(_ key: String, in text: String) -> ConfigError {
        var firstIndent: Int?
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let indent = line.prefix { $0 == " " }.count
            let rest = line.dropFirst(indent)
            guard rest.hasPrefix(key), rest.dropFirst(key.count).trimmingSpaces().hasPrefix(":") else { continue }
            if firstIndent == indent {
                return ConfigError(file: file, line: index + 1, column: indent + 1, "key '\(key)' appears twice in one mapping")
            }
            firstIndent = firstIndent ?? indent
        }
        return ConfigError(file: file, line: 1, column: 1, "key '\(key)' appears twice in one mapping")
    }

    /// The mapping's entries in file order; refuses keys not in `allowed` and repeated keys.
    func mapping(_ node: Node, in section: String, allowed: [String]) throws(ConfigError) -> [(key: String, keyNode: Node, value: Node)] {
        guard case .mapping(let mapping) = node else {
            throw error(at: node, "\(section) must be a mapping of keys to values, got \(describe(node))")
        }
        var seen: Set<String> = []
        var entries: [(String, Node, Node)] = []
        for (keyNode, value) in mapping {
            guard case .scalar(let scalar) = keyNode else {
                throw error(at: keyNode, "keys in \(section) must be plain names")
            }
            let key = scalar.string
            guard allowed.contains(key) else {
                throw error(at: keyNode, "unknown key '\(key)' in \(section); expected one of: \(allowed.joined(separator: ", "))")
            }
            guard seen.insert(key).inserted else {
                throw error(at: keyNode, "key '\(key)' appears twice in \(section)")
            }
            entries.append((key, keyNode, value))
        }
        return entries
    }

    func string(_ node: Node, _ key: String) throws(ConfigError) -> String {
        guard case .scalar(let scalar) = node, !isNull(scalar) else {
            throw error(at: node, "\(key) must be a string, got \(describe(node))")
        }
        return scalar.string
    }

    func bool(_ node: Node, _ key: String) throws(ConfigError) -> Bool {
        if case .scalar(let scalar) = node, scalar.style == .plain {
            switch scalar.string {
            case "true", "True", "TRUE": return true
            case "false", "False", "FALSE": return false
            default: break
            }
        }
        throw error(at: node, "\(key) must be true or false, got \(describe(node))")
    }

    /// A duration in Prometheus' syntax, within `range`. Every duration setting has an upper
    /// bound: a timeout or interval of centuries is a typo, and near Int64 nanoseconds it
    /// overflows the clocks and locks that use it.
    func duration(_ node: Node, _ key: String, in range: ClosedRange<Duration>) throws(ConfigError) -> Duration {
        let text = try string(node, key)
        let tooLong = error(at: node, "\(key) must be between \(Self.format(range.lowerBound)) and \(Self.format(range.upperBound)), got '\(text)'")
        let milliseconds: Int64
        do {
            milliseconds = try PrometheusDuration.milliseconds(parsing: text)
        } catch .outOfRange {
            throw tooLong
        } catch {
            throw self.error(at: node, "\(key) must be a duration such as 10s, 1m or 500ms, got '\(text)'")
        }
        let duration = Duration.milliseconds(milliseconds)
        guard duration >= range.lowerBound else {
            throw error(at: node, "\(key) must be at least \(Self.format(range.lowerBound)), got '\(text)'")
        }
        guard duration <= range.upperBound else { throw tooLong }
        return duration
    }

    private static func format(_ duration: Duration) -> String {
        PrometheusDuration.format(milliseconds: duration.milliseconds)
    }

    func pattern(_ node: Node, _ key: String) throws(ConfigError) -> Pattern {
        let text = try string(node, key)
        do {
            return try Pattern(text)
        } catch {
            throw self.error(at: node, "\(key) must be a valid regular expression: \(error)")
        }
    }

    private func isNull(_ scalar: Node.Scalar) -> Bool {
        scalar.style == .plain && ["", "~", "null", "Null", "NULL"].contains(scalar.string)
    }

    func describe(_ node: Node) -> String {
        switch node {
        case .scalar(let scalar):
            return isNull(scalar) ? "nothing" : "'\(scalar.string)'"
        case .mapping: return "a mapping"
        case .sequence: return "a list"
        case .alias: return "an alias"
        }
    }
}
