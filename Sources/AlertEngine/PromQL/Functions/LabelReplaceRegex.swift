import MetricStore

/// `label_replace`'s regex, compiled once per call site, and Go's `Regexp.Expand` for the
/// replacement template.
final class LabelReplaceRegex: Sendable {
    let pattern: String
    private let regex: RE2Regex

    /// Prometheus anchors the pattern at both ends and lets `.` match newlines:
    /// `^(?s:pattern)$`.
    init(_ pattern: String) throws(LabelFunctionError) {
        self.pattern = pattern
        do {
            regex = try RE2Regex(pattern, options: .dotMatchesNewline)
        } catch {
            throw .invalidRegex(function: "label_replace", pattern: pattern)
        }
    }

    /// `template` expanded with the captures when the whole of `value` matches; `nil` when it
    /// does not.
    func replace(_ value: String, with template: String) -> String? {
        guard let groups = regex.wholeMatchGroups(value) else { return nil }
        return Self.expand(template) { reference in
            switch reference {
            case let .number(number):
                guard number < groups.count else { return nil }
                return groups[number]
            case let .name(name):
                // The first group of that name that took part in the match.
                for (number, groupName) in regex.groupNames.enumerated() where groupName == name {
                    if let text = groups[number] { return text }
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
