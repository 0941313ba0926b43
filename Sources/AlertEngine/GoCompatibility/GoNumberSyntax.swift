/// Go's `strconv.ParseInt(s, 0, 64)`, `ParseUint(s, 0, 64)` and `ParseFloat(s, 64)`: the number
/// syntax of template constants, and of the strings the humanize functions accept.
enum GoNumberSyntax {
    enum Failure: Error, Equatable {
        case syntax
        case range
    }

    static func parseUnsigned(_ text: String) -> Result<UInt64, Failure> {
        guard let first = text.first, first != "+", first != "-" else { return .failure(.syntax) }
        return parseMagnitude(Substring(text), wholeText: text)
    }

    static func parseSigned(_ text: String) -> Result<Int64, Failure> {
        var body = Substring(text)
        var negative = false
        if let sign = body.first, sign == "+" || sign == "-" {
            negative = sign == "-"
            body = body.dropFirst()
        }
        switch parseMagnitude(body, wholeText: text) {
        case .failure(let failure):
            return .failure(failure)
        case .success(let magnitude):
            if negative {
                guard magnitude <= UInt64(Int64.max) + 1 else { return .failure(.range) }
                return .success(magnitude == UInt64(Int64.max) + 1 ? Int64.min : -Int64(magnitude))
            }
            guard magnitude <= UInt64(Int64.max) else { return .failure(.range) }
            return .success(Int64(magnitude))
        }
    }

    /// Base 0 as in Go: `0x`, `0o`, `0b` prefixes, a leading `0` for octal, and `_` between
    /// digits.
    private static func parseMagnitude(_ body: Substring, wholeText: String) -> Result<UInt64, Failure> {
        guard !body.isEmpty else { return .failure(.syntax) }
        var digits = body
        var base: UInt64 = 10
        if body.first == "0" {
            let second = body.dropFirst().first.map { Character($0.lowercased()) }
            if body.count >= 3, second == "b" {
                base = 2
                digits = body.dropFirst(2)
            } else if body.count >= 3, second == "o" {
                base = 8
                digits = body.dropFirst(2)
            } else if body.count >= 3, second == "x" {
                base = 16
                digits = body.dropFirst(2)
            } else {
                base = 8
                digits = body.dropFirst()
            }
        }
        var value: UInt64 = 0
        var sawUnderscore = false
        var overflow = false
        for character in digits {
            if character == "_" {
                sawUnderscore = true
                continue
            }
            guard let digit = character.hexDigitValue, UInt64(digit) < base else { return .failure(.syntax) }
            let (shifted, overflowMultiply) = value.multipliedReportingOverflow(by: base)
            let (sum, overflowAdd) = shifted.addingReportingOverflow(UInt64(digit))
            if overflowMultiply || overflowAdd { overflow = true }
            value = sum
        }
        if sawUnderscore && !underscoresSeparateDigits(wholeText) { return .failure(.syntax) }
        return overflow ? .failure(.range) : .success(value)
    }

    static func parseFloat(_ text: String) -> Result<Double, Failure> {
        var body = Substring(text)
        var negative = false
        if let sign = body.first, sign == "+" || sign == "-" {
            negative = sign == "-"
            body = body.dropFirst()
        }
        switch body.lowercased() {
        case "inf", "infinity": return .success(negative ? -.infinity : .infinity)
        case "nan" where text.count == body.count: return .success(.nan)
        default: break
        }
        guard isFloatLiteral(body) else { return .failure(.syntax) }
        if body.contains("_") && !underscoresSeparateDigits(text) { return .failure(.syntax) }
        guard let magnitude = Double(String(body.filter { $0 != "_" })) else { return .failure(.syntax) }
        if magnitude.isInfinite { return .failure(.range) }
        return .success(negative ? -magnitude : magnitude)
    }

    /// Decimal `1`, `1.5`, `.5`, `1.`, `1e-3`, or hexadecimal `0x1.8p3` (the `p` exponent is
    /// required, as in Go).
    private static func isFloatLiteral(_ body: Substring) -> Bool {
        let characters = Array(body)
        var index = 0
        var hex = false
        if characters.count > 2, characters[0] == "0", characters[1] == "x" || characters[1] == "X" {
            hex = true
            index = 2
        }
        var mantissaDigits = 0
        var sawPoint = false
        while index < characters.count {
            let character = characters[index]
            if character == "_" {
            } else if character == "." {
                if sawPoint { return false }
                sawPoint = true
            } else if hex ? character.isHexDigit : character.isASCII && character.isWholeNumber {
                mantissaDigits += 1
            } else {
                break
            }
            index += 1
        }
        guard mantissaDigits > 0 else { return false }
        guard index < characters.count else { return !hex }
        let marker = characters[index]
        guard hex ? (marker == "p" || marker == "P") : (marker == "e" || marker == "E") else { return false }
        index += 1
        if index < characters.count, characters[index] == "+" || characters[index] == "-" { index += 1 }
        var exponentDigits = 0
        while index < characters.count, characters[index] == "_" || (characters[index].isASCII && characters[index].isWholeNumber) {
            if characters[index] != "_" { exponentDigits += 1 }
            index += 1
        }
        return exponentDigits > 0 && index == characters.count
    }

    /// Go's rule for `_` in number literals: only between digits, or after a base prefix.
    private static func underscoresSeparateDigits(_ text: String) -> Bool {
        var characters = Substring(text)
        if let sign = characters.first, sign == "+" || sign == "-" { characters = characters.dropFirst() }
        enum Last { case start, digit, underscore, other }
        var last = Last.start
        var hex = false
        if characters.count >= 2, characters.first == "0",
            let prefix = characters.dropFirst().first.map({ Character($0.lowercased()) }), "box".contains(prefix)
        {
            hex = prefix == "x"
            characters = characters.dropFirst(2)
            last = .digit
        }
        for character in characters {
            if (character.isASCII && character.isWholeNumber) || (hex && character.isHexDigit) {
                last = .digit
            } else if character == "_" {
                if last != .digit { return false }
                last = .underscore
            } else {
                if last == .underscore { return false }
                last = .other
            }
        }
        return last != .underscore
    }
}
