/// A cursor over a string's Unicode scalars for the small parsers of rule test strings;
/// positions are what their errors report.
struct ScalarScanner {
    let scalars: [Unicode.Scalar]
    var position = 0

    init(_ text: String) {
        scalars = Array(text.unicodeScalars)
    }

    var isAtEnd: Bool { position >= scalars.count }
    var current: Unicode.Scalar? { isAtEnd ? nil : scalars[position] }

    func peek(_ distance: Int = 1) -> Unicode.Scalar? {
        position + distance < scalars.count ? scalars[position + distance] : nil
    }

    mutating func advance(_ count: Int = 1) {
        position = min(position + count, scalars.count)
    }

    /// Consumes the scalar if it is one of `candidates`.
    mutating func take(_ candidates: String) -> Unicode.Scalar? {
        guard let current, candidates.unicodeScalars.contains(current) else { return nil }
        advance()
        return current
    }

    /// Consumes scalars while `predicate` holds and returns them.
    mutating func take(while predicate: (Unicode.Scalar) -> Bool) -> String {
        let start = position
        while let current, predicate(current) { advance() }
        return String(String.UnicodeScalarView(scalars[start..<position]))
    }

    mutating func skipSpaces() {
        _ = take(while: Self.isSpace)
    }

    func error(_ message: String, at offset: Int? = nil) -> SeriesNotationError {
        SeriesNotationError(offset: offset ?? position, message)
    }

    /// What the scalar at the position looks like in a message.
    var currentDescription: String {
        guard let current else { return "end of text" }
        return "'\(Character(current))'"
    }

    static func isSpace(_ scalar: Unicode.Scalar) -> Bool {
        scalar == " " || scalar == "\t" || scalar == "\n" || scalar == "\r"
    }

    static func isDigit(_ scalar: Unicode.Scalar) -> Bool {
        ("0"..."9").contains(scalar)
    }

    static func isLetter(_ scalar: Unicode.Scalar) -> Bool {
        ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar) || scalar == "_"
    }

    /// Letters, digits and `_`: what PromQL's lexer reads as one word.
    static func isWordPart(_ scalar: Unicode.Scalar) -> Bool {
        isLetter(scalar) || isDigit(scalar)
    }
}
