/// `label_replace`'s regex, compiled once per call site, and Go's `Regexp.Expand` for the
/// replacement template.
///
/// Swift's `Regex` is not `Sendable`; a compiled one is only read after creation, which is
/// safe to share. It is configured to behave like Go's RE2 where the two differ by default:
/// matching is per Unicode scalar (Go's rune), not per grapheme cluster, `\d`, `\s` and `\w`
/// are ASCII-only, and RE2's `\pL` spelling is accepted. Swift accepts some syntax RE2
/// refuses (lookaround, backreferences, possessive quantifiers), and it backtracks where RE2
/// runs in linear time.
final class LabelReplaceRegex: @unchecked Sendable {
    let pattern: String
    private let regex: Regex<AnyRegexOutput>

    /// Prometheus anchors the pattern at both ends and lets `.` match newlines:
    /// `^(?s:pattern)$`.
    init(_ pattern: String) throws(LabelFunctionError) {
        self.pattern = pattern
        do {
            regex = try Regex("(?s:" + Self.bracingOneLetterClasses(pattern) + ")")
                .matchingSemantics(.unicodeScalar)
                .asciiOnlyCharacterClasses()
                .wordBoundaryKind(.simple)
        } catch {
            throw .invalidRegex(function: "label_replace", pattern: pattern)
        }
    }

    /// RE2's one-letter Unicode classes `\pL` and `\PN` are spelled `\p{L}` and `\P{N}` in
    /// Swift's syntax. Escaped backslashes and `\Q…\E` literals are left alone.
    static func bracingOneLetterClasses(_ pattern: String) -> String {
        guard pattern.contains("\\p") || pattern.contains("\\P") else { return pattern }
        var result = ""
        var characters = pattern.makeIterator()
        var isLiteral = false
        while let character = characters.next() {
            guard character == "\\", let escaped = characters.next() else {
                result.append(character)
                continue
            }
            if isLiteral {
                isLiteral = escaped != "E"
                result.append(character)
                result.append(escaped)
                continue
            }
            if escaped == "Q" { isLiteral = true }
            guard escaped == "p" || escaped == "P", let name = characters.next() else {
                result.append(character)
                result.append(escaped)
                continue
            }
            result.append(character)
            result.append(escaped)
            if name == "{" || !name.isLetter {
                result.append(name)
            } else {
                result.append("{\(name)}")
            }
        }
        return result
    }

    /// `template` expanded with the captures when the whole of `value` matches; `nil` when it
    /// does not.
    func replace(_ value: String, with template: String) -> String? {
        guard let match = try? regex.wholeMatch(in: value) else { return nil }
        let groups = match.output
        return Self.expand(template) { reference in
            switch reference {
            case let .number(number):
                guard number < groups.count else { return nil }
                return groups[number].substring
            case let .name(name):
                // The first group of that name that took part in the match.
                for group in groups where group.name == name {
                    if let text = group.substring { return text }
                }
                return nil
            }
        }
    }

    enum GroupReference: Equatable {
        case number(Int)
        case name(String)
    }

    /// Go's `Regexp.Expand`: `$name` and `${name}` are replaced by the group's text, where a
    /// name is the longest run of letters, digits and `_` (so `$1x` means group `1x`, not
    /// group 1 then `x`), a name of digits only is a group number (but not with a leading
    /// zero), `$$` is `$`, and a `$` not followed by a valid reference stays as it is. An
    /// unknown or non-participating group expands to nothing.
    static func expand(_ template: String, group: (GroupReference) -> Substring?) -> String {
        let scalars = template.unicodeScalars
        var result = String.UnicodeScalarView()
        var position = scalars.startIndex
        while let dollar = scalars[position...].firstIndex(of: "$") {
            result.append(contentsOf: scalars[position..<dollar])
            let afterDollar = scalars.index(after: dollar)
            if afterDollar < scalars.endIndex, scalars[afterDollar] == "$" {
                result.append("$")
                position = scalars.index(after: afterDollar)
                continue
            }
            guard let (reference, rest) = parseReference(scalars[afterDollar...]) else {
                result.append("$")
                position = afterDollar
                continue
            }
            if let text = group(reference) { result.append(contentsOf: text.unicodeScalars) }
            position = rest
        }
        result.append(contentsOf: scalars[position...])
        return String(result)
    }

    /// A leading `name` or `{name}` and the index after it.
    private static func parseReference(
        _ scalars: Substring.UnicodeScalarView
    ) -> (GroupReference, String.UnicodeScalarView.Index)? {
        var position = scalars.startIndex
        let isBraced = position < scalars.endIndex && scalars[position] == "{"
        if isBraced { position = scalars.index(after: position) }
        let nameStart = position
        while position < scalars.endIndex, isNameScalar(scalars[position]) {
            position = scalars.index(after: position)
        }
        guard position > nameStart else { return nil }
        let name = String(scalars[nameStart..<position])
        if isBraced {
            guard position < scalars.endIndex, scalars[position] == "}" else { return nil }
            position = scalars.index(after: position)
        }
        return (groupNumber(name).map(GroupReference.number) ?? .name(name), position)
    }

    /// Decimal digits without a leading zero are a group number; Go's overflow guard stops
    /// at ten digits.
    private static func groupNumber(_ name: String) -> Int? {
        guard name.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }),
            name.utf8.count <= 9,
            name == "0" || !name.hasPrefix("0")
        else { return nil }
        return Int(name)
    }

    /// Go's `unicode.IsLetter || unicode.IsDigit || '_'`.
    private static func isNameScalar(_ scalar: Unicode.Scalar) -> Bool {
        if scalar == "_" { return true }
        switch scalar.properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter, .decimalNumber:
            return true
        default:
            return false
        }
    }
}
