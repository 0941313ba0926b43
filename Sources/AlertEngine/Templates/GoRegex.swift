/// Go's `regexp` as Prometheus' `match` and `reReplaceAll` use it, on Swift's `Regex`:
/// unanchored search over code points, ASCII-only `\d \w \s` and POSIX classes as in RE2,
/// Go's rule for empty matches next to a previous match, and Go's `$1`/`${name}` replacement
/// templates. Two differences remain: `\b` treats non-ASCII letters as word characters (Swift
/// ignores ASCII word boundaries under code-point matching), and Swift accepts some patterns
/// RE2 rejects (back-references, look-around).
struct GoRegex {
    private let regex: Regex<AnyRegexOutput>

    init(_ pattern: String, compileError: (String) -> String) throws(TemplateFunction.Failure) {
        do {
            regex = try Regex(pattern)
                .matchingSemantics(.unicodeScalar)
                .asciiOnlyCharacterClasses()
        } catch {
            throw TemplateFunction.Failure(message: compileError("\(error)"))
        }
    }

    func matches(_ text: String) -> Bool {
        text.firstMatch(of: regex) != nil
    }

    /// Go's `ReplaceAllString`.
    func replaceAll(in text: String, with template: String) -> String {
        var result = ""
        var copiedUpTo = text.startIndex
        var lastMatchEnd = text.startIndex
        for match in text.matches(of: regex) {
            let range = match.range
            result += text[copiedUpTo..<range.lowerBound]
            // An empty match right after a match would replace twice at one spot; Go skips it.
            if range.upperBound > lastMatchEnd || range.lowerBound == text.startIndex {
                result += expand(template, match: match, in: text)
            }
            lastMatchEnd = range.upperBound
            copiedUpTo = range.upperBound
        }
        return result + text[copiedUpTo...]
    }

    /// Go's `Regexp.Expand`: `$1`, `${1}`, `$name`, `${name}`, `$$`. A name is the longest run
    /// of letters, digits and `_`, so `$1x` means the group named "1x" and expands to nothing.
    private func expand(_ template: String, match: Regex<AnyRegexOutput>.Match, in text: String) -> String {
        let groups = match.output.map { (name: $0.name, range: $0.range) }
        var result = ""
        var rest = Substring(template)
        while let dollar = rest.firstIndex(of: "$") {
            result += rest[..<dollar]
            rest = rest[rest.index(after: dollar)...]
            if rest.first == "$" {
                result += "$"
                rest = rest.dropFirst()
                continue
            }
            guard let (name, after) = Self.groupReference(rest) else {
                result += "$"
                continue
            }
            rest = after
            if let number = Self.groupNumber(name) {
                if number < groups.count, let range = groups[number].range { result += text[range] }
            } else if let group = groups.first(where: { $0.name == name }), let range = group.range {
                result += text[range]
            }
        }
        return result + rest
    }

    /// The name after a `$`, braced or not, and what follows it.
    private static func groupReference(_ text: Substring) -> (String, Substring)? {
        var rest = text
        let braced = rest.first == "{"
        if braced { rest = rest.dropFirst() }
        let name = rest.unicodeScalars.prefix { TemplateLexer.isAlphanumeric($0) || $0.properties.numericType == .decimal }
        guard !name.isEmpty else { return nil }
        rest = Substring(rest.unicodeScalars.dropFirst(name.count))
        if braced {
            guard rest.first == "}" else { return nil }
            rest = rest.dropFirst()
        }
        return (String(String.UnicodeScalarView(name)), rest)
    }

    /// A group number: ASCII digits without a leading zero, below 10^8.
    private static func groupNumber(_ name: String) -> Int? {
        guard name.allSatisfy({ $0.isASCII && $0.isWholeNumber }), name == "0" || !name.hasPrefix("0"),
            let number = Int(name), number < 100_000_000
        else { return nil }
        return number
    }
}
