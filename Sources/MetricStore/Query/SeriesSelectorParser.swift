/// Parses a series selector — `name`, `{label="v",…}` or `name{…}` with `=`, `!=`, `=~`,
/// `!~` — into matchers, for `--match` flags. (The PromQL parser of the rule engine accepts
/// the same syntax as part of expressions.)
public enum SeriesSelectorParser {
    public struct Failure: Error, Equatable, CustomStringConvertible {
        public let selector: String
        public let position: Int
        public let expected: String
        public var description: String {
            "invalid selector \(selector) at character \(position + 1): expected \(expected)"
        }
    }

    public static func parse(_ text: String) throws(Failure) -> [LabelMatcher] {
        let characters = Array(text.unicodeScalars)
        var index = 0
        func fail(_ expected: String) -> Failure { Failure(selector: text, position: index, expected: expected) }
        func skipSpaces() { while index < characters.count && characters[index] == " " { index += 1 } }
        func identifier(allowColon: Bool) -> String {
            let start = index
            while index < characters.count {
                let scalar = characters[index]
                let isLetter = ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar) || scalar == "_"
                let isDigit = ("0"..."9").contains(scalar)
                guard isLetter || (isDigit && index > start) || (allowColon && scalar == ":") else { break }
                index += 1
            }
            return String(String.UnicodeScalarView(characters[start..<index]))
        }

        var matchers: [LabelMatcher] = []
        skipSpaces()
        let name = identifier(allowColon: true)
        if !name.isEmpty { matchers.append(.equal(Label.metricName, name)) }
        skipSpaces()
        if index < characters.count && characters[index] == "{" {
            index += 1
            while true {
                skipSpaces()
                if index < characters.count && characters[index] == "}" {
                    index += 1
                    break
                }
                let label = identifier(allowColon: false)
                guard !label.isEmpty else { throw fail("a label name or '}'") }
                skipSpaces()
                let kind: LabelMatcher.Kind
                let rest = String(String.UnicodeScalarView(characters[index...]))
                if rest.hasPrefix("=~") { kind = .regex; index += 2 }
                else if rest.hasPrefix("!~") { kind = .notRegex; index += 2 }
                else if rest.hasPrefix("!=") { kind = .notEqual; index += 2 }
                else if rest.hasPrefix("=") { kind = .equal; index += 1 }
                else { throw fail("=, !=, =~ or !~") }
                skipSpaces()
                guard index < characters.count, characters[index] == "\"" || characters[index] == "'" else {
                    throw fail("a quoted value")
                }
                let quote = characters[index]
                index += 1
                var value = String.UnicodeScalarView()
                while index < characters.count && characters[index] != quote {
                    if characters[index] == "\\" && index + 1 < characters.count {
                        index += 1
                        switch characters[index] {
                        case "n": value.append("\n")
                        case "t": value.append("\t")
                        default: value.append(characters[index])
                        }
                    } else {
                        value.append(characters[index])
                    }
                    index += 1
                }
                guard index < characters.count else { throw fail("a closing quote") }
                index += 1
                do {
                    matchers.append(try LabelMatcher(label, kind, String(value)))
                } catch {
                    throw Failure(selector: text, position: index, expected: "a valid regular expression (\(error.reason))")
                }
                skipSpaces()
                if index < characters.count && characters[index] == "," { index += 1 }
            }
        }
        skipSpaces()
        guard index == characters.count else { throw fail("the end of the selector") }
        guard !matchers.isEmpty, matchers.contains(where: { !$0.matchesEmpty }) else {
            index = 0
            throw fail("at least one matcher that does not match the empty string, as in Prometheus")
        }
        return matchers
    }
}
