/// Go's `strconv.Unquote` and `UnquoteChar`: the string and character constants of templates.
/// `\x` and octal escapes stand for bytes; bytes that do not form UTF-8 become U+FFFD.
enum GoStringLiteral {
    struct InvalidSyntax: Error {}

    /// `"…"` with escapes, or `` `…` `` taken literally (carriage returns dropped, as Go does).
    static func unquote(_ literal: String) throws(InvalidSyntax) -> String {
        let scalars = Array(literal.unicodeScalars)
        guard scalars.count >= 2, let quote = scalars.first, scalars.last == quote else { throw InvalidSyntax() }
        let body = scalars[1..<(scalars.count - 1)]
        if quote == "`" {
            guard !body.contains("`") else { throw InvalidSyntax() }
            var text = String.UnicodeScalarView()
            text.append(contentsOf: body.filter { $0 != "\r" })
            return String(text)
        }
        guard quote == "\"" else { throw InvalidSyntax() }
        var bytes: [UInt8] = []
        var index = body.startIndex
        while index < body.endIndex {
            guard body[index] != "\n" else { throw InvalidSyntax() }
            let (piece, next) = try unquoteOne(body, at: index, quote: quote)
            bytes.append(contentsOf: piece)
            index = next
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// `'x'`, `'\n'`, `'\u00e9'`: the code point, which templates use as an integer.
    static func unquoteCharacter(_ literal: String) throws(InvalidSyntax) -> UInt32 {
        let scalars = Array(literal.unicodeScalars)
        guard scalars.count >= 3, scalars.first == "'", scalars.last == "'" else { throw InvalidSyntax() }
        let body = scalars[1..<(scalars.count - 1)]
        let (value, next) = try codePoint(body, at: body.startIndex, quote: "'")
        guard next == body.endIndex else { throw InvalidSyntax() }
        return value
    }

    /// One character or escape of a double-quoted string, as UTF-8 bytes.
    private static func unquoteOne(
        _ body: ArraySlice<Unicode.Scalar>, at index: Int, quote: Unicode.Scalar
    ) throws(InvalidSyntax) -> ([UInt8], Int) {
        let (value, next) = try codePoint(body, at: index, quote: quote)
        let isByteEscape = body[index] == "\\" && ("x" == body[index + 1] || ("0"..."7").contains(body[index + 1]))
        if isByteEscape { return ([UInt8(value)], next) }
        guard let scalar = Unicode.Scalar(value) else { throw InvalidSyntax() }
        return (Array(String(Character(scalar)).utf8), next)
    }

    private static func codePoint(
        _ body: ArraySlice<Unicode.Scalar>, at index: Int, quote: Unicode.Scalar
    ) throws(InvalidSyntax) -> (UInt32, Int) {
        let first = body[index]
        if first == quote { throw InvalidSyntax() }
        guard first == "\\" else { return (first.value, index + 1) }
        guard index + 1 < body.endIndex else { throw InvalidSyntax() }
        let escape = body[index + 1]
        switch escape {
        case "a": return (0x07, index + 2)
        case "b": return (0x08, index + 2)
        case "f": return (0x0C, index + 2)
        case "n": return (0x0A, index + 2)
        case "r": return (0x0D, index + 2)
        case "t": return (0x09, index + 2)
        case "v": return (0x0B, index + 2)
        case "\\": return (0x5C, index + 2)
        case "'", "\"":
            guard escape == quote else { throw InvalidSyntax() }
            return (escape.value, index + 2)
        case "x", "u", "U":
            let count = escape == "x" ? 2 : escape == "u" ? 4 : 8
            let value = try number(body, from: index + 2, count: count, radix: 16)
            if escape != "x" && (value > 0x10FFFF || (0xD800...0xDFFF).contains(value)) { throw InvalidSyntax() }
            return (value, index + 2 + count)
        case "0"..."7":
            let value = try number(body, from: index + 1, count: 3, radix: 8)
            guard value <= 255 else { throw InvalidSyntax() }
            return (value, index + 4)
        default:
            throw InvalidSyntax()
        }
    }

    private static func number(
        _ body: ArraySlice<Unicode.Scalar>, from start: Int, count: Int, radix: UInt32
    ) throws(InvalidSyntax) -> UInt32 {
        guard start + count <= body.endIndex else { throw InvalidSyntax() }
        var value: UInt32 = 0
        for scalar in body[start..<(start + count)] {
            guard let digit = Character(scalar).hexDigitValue, UInt32(digit) < radix else { throw InvalidSyntax() }
            value = value * radix + UInt32(digit)
        }
        return value
    }
}
