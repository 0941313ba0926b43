import MetricStore

/// Alertmanager's matcher strings, as `matchers:` lists in routes and inhibit rules hold them:
/// `severity="critical"`, `alertname=~"Pg.*"`, `team!=db`, or several in one item separated by
/// commas, optionally in braces (`{a="1", b=~"x|y"}`). A value may be quoted (escapes `\"`,
/// `\\` and `\n`; any other backslash is kept literally) or bare (surrounding white space is
/// dropped). Regexes are RE2 and fully anchored, as in Alertmanager.
public enum AlertmanagerMatchers {
    public struct SyntaxError: Error, Equatable, CustomStringConvertible {
        public let text: String
        public let reason: String
        public var description: String { "\(reason): \(text)" }
    }

    /// Every matcher in one list item.
    public static func parse(_ text: String) throws(SyntaxError) -> [LabelMatcher] {
        var body = Substring(text)
        if body.hasPrefix("{") { body = body.dropFirst() }
        if body.hasSuffix("}") { body = body.dropLast() }
        var tokens: [String] = []
        var token = ""
        var insideQuotes = false
        var escaped = false
        for character in body {
            switch character {
            case "," where !insideQuotes:
                tokens.append(token)
                token = ""
                continue
            case "\"":
                if !escaped { insideQuotes.toggle() } else { escaped = false }
            case "\\":
                escaped.toggle()
            default:
                escaped = false
            }
            token.append(character)
        }
        if !token.allSatisfy(\.isWhitespace) { tokens.append(token) }
        var matchers: [LabelMatcher] = []
        for token in tokens { matchers.append(try parseOne(token)) }
        return matchers
    }

    /// One `name op value`.
    static func parseOne(_ text: String) throws(SyntaxError) -> LabelMatcher {
        let scalars = Array(text.unicodeScalars)
        var index = 0
        while index < scalars.count, scalars[index].properties.isWhitespace { index += 1 }
        let nameStart = index
        while index < scalars.count, isNameScalar(scalars[index], first: index == nameStart) { index += 1 }
        let name = String(String.UnicodeScalarView(scalars[nameStart..<index]))
        guard !name.isEmpty else { throw SyntaxError(text: text, reason: "bad matcher format, expected name=\"value\"") }
        while index < scalars.count, scalars[index].properties.isWhitespace { index += 1 }
        let rest = String(String.UnicodeScalarView(scalars[index...]))
        let kind: LabelMatcher.Kind
        let operatorLength: Int
        if rest.hasPrefix("=~") { (kind, operatorLength) = (.regex, 2) }
        else if rest.hasPrefix("!=") { (kind, operatorLength) = (.notEqual, 2) }
        else if rest.hasPrefix("!~") { (kind, operatorLength) = (.notRegex, 2) }
        else if rest.hasPrefix("=") { (kind, operatorLength) = (.equal, 1) }
        else { throw SyntaxError(text: text, reason: "bad matcher format, expected one of =, !=, =~, !~ after the label name") }
        let raw = rest.dropFirst(operatorLength).trimmingWhitespace()
        let value = try unescape(raw, matcher: text)
        do {
            return try LabelMatcher(name, kind, value)
        } catch {
            throw SyntaxError(text: text, reason: "invalid regular expression (\(error.reason))")
        }
    }

    private static func unescape(_ raw: Substring, matcher: String) throws(SyntaxError) -> String {
        var characters = Array(raw)
        var expectTrailingQuote = false
        if characters.first == "\"" {
            characters.removeFirst()
            expectTrailingQuote = true
        }
        var value = ""
        var escaped = false
        for (offset, character) in characters.enumerated() {
            if escaped {
                escaped = false
                switch character {
                case "n": value.append("\n")
                case "\"", "\\": value.append(character)
                default: value.append("\\"); value.append(character)
                }
                continue
            }
            switch character {
            case "\\" where offset < characters.count - 1:
                escaped = true
            case "\"":
                guard expectTrailingQuote, offset == characters.count - 1 else {
                    throw SyntaxError(text: matcher, reason: "matcher value contains an unescaped double quote")
                }
                expectTrailingQuote = false
            default:
                value.append(character)
            }
        }
        if expectTrailingQuote { throw SyntaxError(text: matcher, reason: "matcher value lacks its closing double quote") }
        return value
    }

    private static func isNameScalar(_ scalar: Unicode.Scalar, first: Bool) -> Bool {
        switch scalar {
        case "a"..."z", "A"..."Z", "_", ":": return true
        case "0"..."9": return !first
        default: return false
        }
    }

    /// `{a="1",b=~"x"}`, as Alertmanager writes a route's matchers into its group keys:
    /// sorted by name, value, then operator; values escaped as in OpenMetrics.
    public static func render(_ matchers: [LabelMatcher]) -> String {
        // LabelMatcher's description escapes as Alertmanager does: backslash, newline, quote.
        "{" + sorted(matchers).map(\.description).joined(separator: ",") + "}"
    }

    static func sorted(_ matchers: [LabelMatcher]) -> [LabelMatcher] {
        // Alertmanager orders operators by its enum: =, !=, =~, !~.
        let rank: [LabelMatcher.Kind: Int] = [.equal: 0, .notEqual: 1, .regex: 2, .notRegex: 3]
        return matchers.sorted {
            ($0.name, $0.value, rank[$0.kind]!) < ($1.name, $1.value, rank[$1.kind]!)
        }
    }
}

extension Substring {
    fileprivate func trimmingWhitespace() -> Substring {
        var result = self
        while result.first?.isWhitespace == true { result = result.dropFirst() }
        while result.last?.isWhitespace == true { result = result.dropLast() }
        return result
    }
}

extension [LabelMatcher] {
    /// Whether every matcher accepts the labels (a missing label is the empty string).
    public func matches(_ labels: Labels) -> Bool {
        allSatisfy { $0.matches(labels[$0.name] ?? "") }
    }
}
