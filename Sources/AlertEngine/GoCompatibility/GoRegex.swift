import MetricStore

/// Go's `regexp` as Prometheus' `match` and `reReplaceAll` use it: unanchored search, run by
/// RE2 (see `RE2Regex`), with Go's rule for empty matches next to a previous match and Go's
/// `$1`/`${name}` replacement templates.
struct GoRegex {
    private let regex: RE2Regex

    init(_ pattern: String, compileError: (String) -> String) throws(TemplateFunction.Failure) {
        do {
            regex = try RE2Regex(pattern)
        } catch {
            throw TemplateFunction.Failure(message: compileError(error.detail))
        }
    }

    func matches(_ text: String) -> Bool {
        regex.containsMatch(text)
    }

    /// Go's `ReplaceAllString`.
    func replaceAll(in text: String, with template: String) -> String {
        let utf8 = text.utf8
        func index(_ offset: Int) -> String.Index { utf8.index(utf8.startIndex, offsetBy: offset) }
        var result = ""
        var lastMatchEnd = 0
        RE2Regex.withBytes(text) { bytes in
            var searchPosition = 0
            while searchPosition <= bytes.count, let groups = regex.firstMatch(in: bytes, from: searchPosition),
                let match = groups[0]
            {
                result += text[index(lastMatchEnd)..<index(match.lowerBound)]
                // An empty match right after a match would replace twice at one spot; Go skips it.
                if match.upperBound > lastMatchEnd || match.lowerBound == 0 {
                    let texts = groups.map { group in group.map { text[index($0.lowerBound)..<index($0.upperBound)] } }
                    result += expand(template, groups: texts)
                }
                lastMatchEnd = match.upperBound
                // Always advance by at least one code point, as Go does.
                let width = searchPosition < bytes.count ? Self.codePointWidth(leadByte: bytes[searchPosition]) : 1
                searchPosition = searchPosition + width > match.upperBound ? searchPosition + width : match.upperBound
            }
        }
        return result + text[index(lastMatchEnd)...]
    }

    private static func codePointWidth(leadByte: UInt8) -> Int {
        switch leadByte {
        case ..<0x80: 1
        case ..<0xE0: 2
        case ..<0xF0: 3
        default: 4
        }
    }

    /// Go's `Regexp.Expand`: `$1`, `${1}`, `$name`, `${name}`, `$$`. A name is the longest run
    /// of letters, digits and `_`, so `$1x` means the group named "1x" and expands to nothing.
    private func expand(_ template: String, groups: [Substring?]) -> String {
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
                if number < groups.count, let group = groups[number] { result += group }
            } else if let group = zip(regex.groupNames, groups).first(where: { $0.0 == name && $0.1 != nil }) {
                // The first group of that name that took part in the match.
                result += group.1!
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
