/// A PromQL string literal: `"…"` or `'…'` with Go's escapes, or a raw `` `…` ``.
enum QuotedString {
    /// Reads the literal whose opening quote is at the scanner's position and returns its
    /// value; the scanner ends after the closing quote.
    static func read(_ scanner: inout ScalarScanner) throws(SeriesNotationError) -> String {
        let start = scanner.position
        guard let quote = scanner.take("\"'`") else {
            throw scanner.error("expected a quoted string, got \(scanner.currentDescription)")
        }
        // Built as bytes: `\x` and octal escapes write single bytes, which only have to form
        // valid UTF-8 all together.
        var bytes: [UInt8] = []
        while true {
            guard let current = scanner.current else {
                throw scanner.error("unterminated string, opened at column \(start + 1)", at: start)
            }
            scanner.advance()
            if current == quote { break }
            if quote != "`" && current == "\n" {
                throw scanner.error("unterminated string, opened at column \(start + 1)", at: start)
            }
            if quote != "`" && current == "\\" {
                try readEscape(&scanner, quote: quote, into: &bytes)
            } else {
                bytes.append(contentsOf: String(current).utf8)
            }
        }
        guard let value = String(validating: bytes, as: UTF8.self) else {
            throw scanner.error("the string is not valid UTF-8", at: start)
        }
        return value
    }

    private static func readEscape(
        _ scanner: inout ScalarScanner, quote: Unicode.Scalar, into bytes: inout [UInt8]
    ) throws(SeriesNotationError) {
        let start = scanner.position - 1
        guard let letter = scanner.current else { throw scanner.error("unterminated escape sequence", at: start) }
        scanner.advance()
        let simple: [Unicode.Scalar: UInt8] = ["a": 7, "b": 8, "f": 12, "n": 10, "r": 13, "t": 9, "v": 11, "\\": 92]
        if let byte = simple[letter] {
            bytes.append(byte)
        } else if letter == quote {
            bytes.append(contentsOf: String(quote).utf8)
        } else if ("0"..."7").contains(letter) {
            scanner.position -= 1
            let value = try digits(&scanner, count: 3, radix: 8, escapeAt: start)
            guard value <= 255 else { throw scanner.error("octal escape sequence is more than 255", at: start) }
            bytes.append(UInt8(value))
        } else if letter == "x" {
            bytes.append(UInt8(try digits(&scanner, count: 2, radix: 16, escapeAt: start)))
        } else if letter == "u" || letter == "U" {
            let value = try digits(&scanner, count: letter == "u" ? 4 : 8, radix: 16, escapeAt: start)
            guard let scalar = Unicode.Scalar(value) else {
                throw scanner.error("escape sequence is not a Unicode code point", at: start)
            }
            bytes.append(contentsOf: String(scalar).utf8)
        } else {
            throw scanner.error("unknown escape sequence '\\\(Character(letter))'", at: start)
        }
    }

    private static func digits(
        _ scanner: inout ScalarScanner, count: Int, radix: Int, escapeAt start: Int
    ) throws(SeriesNotationError) -> UInt32 {
        var value: UInt32 = 0
        for _ in 0..<count {
            guard let current = scanner.current, let digit = Character(current).hexDigitValue, digit < radix else {
                throw scanner.error("escape sequence needs \(count) \(radix == 8 ? "octal" : "hexadecimal") digits", at: start)
            }
            value = value * UInt32(radix) + UInt32(digit)
            scanner.advance()
        }
        return value
    }
}
