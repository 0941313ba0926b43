/// Go's `strconv.Quote`, `QuoteToASCII`, `QuoteRune` and `CanBackquote`: `%q` in printf, and
/// the way Go's messages quote tokens.
enum GoQuote {
    static func quote(_ text: String, asciiOnly: Bool = false) -> String {
        var result = "\""
        for scalar in text.unicodeScalars { result += escape(scalar, quote: "\"", asciiOnly: asciiOnly) }
        return result + "\""
    }

    static func quoteRune(_ value: Int, asciiOnly: Bool = false) -> String {
        let scalar = UInt32(exactly: value).flatMap(Unicode.Scalar.init) ?? "\u{FFFD}"
        return "'" + escape(scalar, quote: "'", asciiOnly: asciiOnly) + "'"
    }

    static func canBackquote(_ text: String) -> Bool {
        !text.unicodeScalars.contains { scalar in
            scalar == "`" || scalar == "\u{FEFF}" || (scalar.value < 0x20 && scalar != "\t") || scalar.value == 0x7F
        }
    }

    /// Go's `unicode.IsPrint`: letters, marks, numbers, punctuation, symbols and the ASCII space.
    static func isPrintable(_ scalar: Unicode.Scalar) -> Bool {
        if scalar == " " { return true }
        switch scalar.properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter,
            .nonspacingMark, .spacingMark, .enclosingMark,
            .decimalNumber, .letterNumber, .otherNumber,
            .connectorPunctuation, .dashPunctuation, .openPunctuation, .closePunctuation,
            .initialPunctuation, .finalPunctuation, .otherPunctuation,
            .mathSymbol, .currencySymbol, .modifierSymbol, .otherSymbol:
            return true
        default:
            return false
        }
    }

    private static func escape(_ scalar: Unicode.Scalar, quote: Unicode.Scalar, asciiOnly: Bool) -> String {
        if scalar == quote || scalar == "\\" { return "\\" + String(scalar) }
        if asciiOnly ? (scalar.isASCII && isPrintable(scalar)) : isPrintable(scalar) { return String(scalar) }
        switch scalar {
        case "\u{07}": return "\\a"
        case "\u{08}": return "\\b"
        case "\u{0C}": return "\\f"
        case "\n": return "\\n"
        case "\r": return "\\r"
        case "\t": return "\\t"
        case "\u{0B}": return "\\v"
        default: break
        }
        if scalar.value < 0x20 || scalar.value == 0x7F { return "\\x" + hex(scalar.value, width: 2) }
        if scalar.value < 0x10000 { return "\\u" + hex(scalar.value, width: 4) }
        return "\\U" + hex(scalar.value, width: 8)
    }

    private static func hex(_ value: UInt32, width: Int) -> String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }
}
