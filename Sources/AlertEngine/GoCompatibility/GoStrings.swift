/// Go's `strings.ToUpper`, `ToLower` and `Title`: one code point at a time with Unicode's
/// simple case mappings, so "ß" stays "ß" (Swift's own `uppercased()` would make it "SS").
enum GoStrings {
    static func toUpper(_ text: String) -> String {
        map(text) { simpleMapping($0, $0.properties.uppercaseMapping) }
    }

    static func toLower(_ text: String) -> String {
        map(text) { scalar in
            // The one simple mapping that differs from the first scalar of the full one.
            scalar == "\u{130}" ? "i" : simpleMapping(scalar, scalar.properties.lowercaseMapping)
        }
    }

    /// The first letter of every word in title case. Go's word rule: ASCII letters, digits
    /// and `_` join words, other ASCII separates; beyond ASCII, letters and digits join and
    /// only white space separates.
    static func title(_ text: String) -> String {
        var previous: Unicode.Scalar = " "
        return map(text) { scalar in
            defer { previous = scalar }
            return isSeparator(previous) ? simpleMapping(scalar, scalar.properties.titlecaseMapping) : scalar
        }
    }

    private static func isSeparator(_ scalar: Unicode.Scalar) -> Bool {
        if scalar.isASCII {
            return !(scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) || scalar == "_")
        }
        if TemplateLexer.isAlphanumeric(scalar) { return false }
        return scalar.properties.isWhitespace
    }

    private static func simpleMapping(_ scalar: Unicode.Scalar, _ fullMapping: String) -> Unicode.Scalar {
        let mapped = fullMapping.unicodeScalars
        return mapped.count == 1 ? mapped.first! : scalar
    }

    private static func map(_ text: String, _ transform: (Unicode.Scalar) -> Unicode.Scalar) -> String {
        var result = String.UnicodeScalarView()
        for scalar in text.unicodeScalars { result.append(transform(scalar)) }
        return String(result)
    }
}
