/// One condition of a series selector: `name="value"`, `!=`, `=~` or `!~`. Regexes are fully
/// anchored and `.` matches a newline, as in Prometheus 3 (`=~"a|b"` means `^(?s:a|b)$`). A
/// label a series does not have counts as the empty string, so `{a=""}` selects the series without label `a`.
public struct LabelMatcher: Sendable, Hashable, CustomStringConvertible {
    public enum Kind: String, Sendable, Hashable {
        case equal = "="
        case notEqual = "!="
        case regex = "=~"
        case notRegex = "!~"
    }

    public let name: String
    public let kind: Kind
    public let value: String
    private let compiled: LabelRegex?

    public init(_ name: String, _ kind: Kind, _ value: String) throws(LabelMatcherError) {
        self.name = name
        self.kind = kind
        self.value = value
        switch kind {
        case .equal, .notEqual:
            compiled = nil
        case .regex, .notRegex:
            do {
                compiled = try LabelRegex(value)
            } catch {
                throw LabelMatcherError(matcher: "\(name)\(kind.rawValue)\"\(value)\"", reason: error.description)
            }
        }
    }

    public static func equal(_ name: String, _ value: String) -> LabelMatcher {
        try! LabelMatcher(name, .equal, value)
    }

    public func matches(_ labelValue: String) -> Bool {
        switch kind {
        case .equal: return labelValue == value
        case .notEqual: return labelValue != value
        case .regex: return compiled!.matches(labelValue)
        case .notRegex: return !compiled!.matches(labelValue)
        }
    }

    /// Whether a series without this label is selected.
    public var matchesEmpty: Bool { matches("") }

    public var description: String {
        var escaped = ""
        for character in value {
            switch character {
            case "\\": escaped += "\\\\"
            case "\"": escaped += "\\\""
            case "\n": escaped += "\\n"
            default: escaped.append(character)
            }
        }
        return "\(name)\(kind.rawValue)\"\(escaped)\""
    }

    public static func == (lhs: LabelMatcher, rhs: LabelMatcher) -> Bool {
        lhs.name == rhs.name && lhs.kind == rhs.kind && lhs.value == rhs.value
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(name)
        hasher.combine(kind)
        hasher.combine(value)
    }
}

public struct LabelMatcherError: Error, Equatable, CustomStringConvertible {
    public let matcher: String
    public let reason: String
    public var description: String { "invalid regular expression in \(matcher): \(reason)" }
}
