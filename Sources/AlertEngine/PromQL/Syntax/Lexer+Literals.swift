/// Numbers, durations and strings: the lexemes whose text has to be decoded.
extension PromQLLexer {
    /// `42`, `1.5e3`, `.5`, `0x1F`, `1_000`, or a duration such as `1h30m`. Whatever run of
    /// letters and digits follows the numeric part belongs to the same lexeme, so `1a` is one
    /// bad token rather than a number followed by a name.
    mutating func lexNumberOrDuration() throws(Failure) {
        let start = index
        if characters[index] == "0", let x = peek(offset: 1), x == "x" || x == "X" {
            index += 2
            while let next = peek(), next.isHexDigit && next.isASCII || next == "_" { index += 1 }
        } else {
            skipDigits()
            if peek() == "." {
                index += 1
                skipDigits()
            }
            if let e = peek(), e == "e" || e == "E" {
                let signed = peek(offset: 1) == "+" || peek(offset: 1) == "-"
                if let digit = peek(offset: signed ? 2 : 1), Self.isDigit(digit) {
                    index += signed ? 2 : 1
                    skipDigits()
                }
            }
        }
        let numericEnd = index
        while let next = peek(), Self.isLetter(next) || Self.isDigit(next) || next == "." { index += 1 }
        let text = String(characters[start..<index])

        guard numericEnd == index else {
            let numeric = characters[start..<numericEnd]
            let looksLikeDuration = numeric.allSatisfy(Self.isDigit) && "ywdhms".contains(characters[numericEnd])
            guard looksLikeDuration else {
                throw Failure(message: "bad number or duration syntax: \"\(text)\"", position: start)
            }
            do {
                emit(.duration(milliseconds: try PrometheusDuration.milliseconds(parsing: text)), from: start)
            } catch .outOfRange {
                throw Failure(message: "duration out of range: \"\(text)\"", position: start)
            } catch {
                // An unknown unit is bad syntax here: PromQL has no other units to confuse it with.
                throw Failure(message: "not a valid duration string: \"\(text)\"", position: start)
            }
            return
        }
        switch PromQLNumberLiteral.value(of: text) {
        case .success(let value):
            emit(.number(value), from: start)
        case .failure(.syntax):
            throw Failure(message: "bad number or duration syntax: \"\(text)\"", position: start)
        case .failure(.outOfRange):
            throw Failure(message: "number out of range: \"\(text)\"", position: start)
        }
    }

    private mutating func skipDigits() {
        while let next = peek(), Self.isDigit(next) || next == "_" { index += 1 }
    }

    /// `"…"` and `'…'` with Go's escapes, or raw `` `…` `` without any. Escapes that name bytes
    /// (`\xNN`, octal) are assembled as UTF-8; a sequence that is not valid UTF-8 decodes to
    /// U+FFFD, since Swift strings cannot hold it.
    mutating func lexString() throws(Failure) {
        let start = index
        let quote = characters[index]
        index += 1
        var bytes: [UInt8] = []
        while true {
            guard let character = peek() else {
                throw Failure(message: quote == "`" ? "unterminated raw string" : "unterminated quoted string", position: start)
            }
            if quote != "`" && (character == "\n" || character == "\r\n") {
                throw Failure(message: "unterminated quoted string", position: start)
            }
            index += 1
            if character == quote { break }
            if character == "\\" && quote != "`" {
                try lexEscape(quote: quote, into: &bytes)
            } else {
                bytes.append(contentsOf: character.utf8)
            }
        }
        emit(.string(String(decoding: bytes, as: UTF8.self)), from: start)
    }

    /// The backslash has been consumed; `index` is on the escaped character.
    private mutating func lexEscape(quote: Character, into bytes: inout [UInt8]) throws(Failure) {
        let backslash = index - 1
        guard let escaped = peek() else {
            throw Failure(message: "escape sequence not terminated", position: backslash)
        }
        index += 1
        let simple: [Character: UInt8] = ["a": 7, "b": 8, "f": 12, "n": 10, "r": 13, "t": 9, "v": 11, "\\": 92]
        if let byte = simple[escaped] {
            bytes.append(byte)
            return
        }
        if escaped == quote {
            bytes.append(contentsOf: escaped.utf8)
            return
        }
        let digitCount: Int, base: UInt32, maximum: UInt32
        switch escaped {
        case "0"..."7":
            // The first of the three octal digits is the escaped character itself.
            index -= 1
            (digitCount, base, maximum) = (3, 8, 255)
        case "x": (digitCount, base, maximum) = (2, 16, 255)
        case "u": (digitCount, base, maximum) = (4, 16, 0x10FFFF)
        case "U": (digitCount, base, maximum) = (8, 16, 0x10FFFF)
        default:
            throw Failure(message: "unknown escape sequence \\\(escaped)", position: backslash)
        }
        var value: UInt32 = 0
        for _ in 0..<digitCount {
            guard let digit = peek() else {
                throw Failure(message: "escape sequence not terminated", position: backslash)
            }
            guard let digitValue = digit.hexDigitValue, digit.isASCII, UInt32(digitValue) < base else {
                throw Failure(message: "illegal character \(Self.quoted(digit)) in escape sequence", position: backslash)
            }
            value = value * base + UInt32(digitValue)
            index += 1
        }
        guard value <= maximum, let scalar = Unicode.Scalar(value) else {
            throw Failure(message: "escape sequence is an invalid Unicode code point", position: backslash)
        }
        if escaped == "u" || escaped == "U" {
            bytes.append(contentsOf: Character(scalar).utf8)
        } else {
            bytes.append(UInt8(value))
        }
    }
}
