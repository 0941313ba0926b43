/// Number literals as Prometheus reads and writes them. Reading follows Go's
/// `strconv.ParseInt(s, 0, 64)` then `ParseFloat`: `0x1F` is hex, a leading `0` makes an
/// all-octal-digit integer octal (`010` is 8), and `_` may separate digits (`Inf` and `NaN` are
/// words, which the lexer handles). Writing is `GoFloatFormat.shortestFixed`.
enum PromQLNumberLiteral {
    enum Failure: Error, Equatable {
        case syntax
        case outOfRange
    }

    static func value(of text: String) -> Result<Double, Failure> {
        let characters = Array(text)
        if characters.count > 2, characters[0] == "0", characters[1] == "x" || characters[1] == "X" {
            return hexadecimal(Array(characters.dropFirst(2)))
        }
        guard underscoresSeparateDigits(characters, isDigit: \.isASCIIDigit, prefixAllowed: false) else {
            return .failure(.syntax)
        }
        let digits = String(characters.filter { $0 != "_" })
        if digits.count > 1, digits.first == "0", digits.allSatisfy({ ("0"..."7").contains($0) }),
           let octal = Int64(digits, radix: 8) {
            return .success(Double(octal))
        }
        guard digits.contains(where: \.isASCIIDigit), let value = Double(digits) else { return .failure(.syntax) }
        // Go's ParseFloat reports overflow where Swift rounds to infinity.
        return value.isFinite ? .success(value) : .failure(.outOfRange)
    }

    private static func hexadecimal(_ body: [Character]) -> Result<Double, Failure> {
        guard underscoresSeparateDigits(body, isDigit: \.isHexDigit, prefixAllowed: true) else {
            return .failure(.syntax)
        }
        let digits = String(body.filter { $0 != "_" })
        guard !digits.isEmpty, digits.allSatisfy(\.isHexDigit) else { return .failure(.syntax) }
        // Go's ParseInt rejects what does not fit an Int64, and ParseFloat has no hex integers.
        guard let value = UInt64(digits, radix: 16), value <= UInt64(Int64.max) else { return .failure(.outOfRange) }
        return .success(Double(value))
    }

    /// Go's rule for `_` in literals: only between two digits, or right after a base prefix.
    private static func underscoresSeparateDigits(_ characters: [Character], isDigit: (Character) -> Bool, prefixAllowed: Bool) -> Bool {
        for (index, character) in characters.enumerated() where character == "_" {
            let before = index > 0 ? isDigit(characters[index - 1]) : prefixAllowed
            let after = index + 1 < characters.count && isDigit(characters[index + 1])
            guard before, after else { return false }
        }
        return true
    }
}

private extension Character {
    var isASCIIDigit: Bool { isASCII && isWholeNumber }
}
