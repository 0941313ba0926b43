/// Splits a template into text and the tokens inside `{{ … }}`, the way Go's
/// `text/template/parse` lexer does, trim markers and comments included. Tokens are made on
/// demand, so an error late in the text never hides an earlier one the parser would report.
struct TemplateLexer {
    private enum State {
        case text
        case leftDelimiter(at: Int)
        case insideAction
        case finished
    }

    private static let keywords: [String: TemplateToken.Keyword] = [
        "if": .if, "else": .else, "end": .end, "range": .range, "with": .with, "break": .break,
        "continue": .continue, "define": .define, "template": .template, "block": .block,
    ]

    let source: [Unicode.Scalar]
    private var position = 0
    private var state = State.text
    private var actionStart = 0
    private var openParens: [Int] = []

    init(_ text: String) {
        source = Array(text.unicodeScalars)
    }

    mutating func next() throws(TemplateSyntaxError) -> TemplateToken {
        while true {
            switch state {
            case .text:
                if let token = lexText() { return token }
            case .leftDelimiter(let offset):
                if let token = try lexLeftDelimiter(at: offset) { return token }
            case .insideAction:
                if let token = try lexInsideAction() { return token }
            case .finished:
                return TemplateToken(kind: .eof, value: "", offset: source.count)
            }
        }
    }

    // MARK: Text, delimiters and comments

    private mutating func lexText() -> TemplateToken? {
        let start = position
        guard let delimiter = find("{{", from: position) else {
            state = .finished
            position = source.count
            return start < source.count ? token(.text, from: start) : nil
        }
        var end = delimiter
        // "{{- " trims the white space before it.
        if hasLeftTrimMarker(at: delimiter + 2) {
            while end > start && Self.isSpace(source[end - 1]) { end -= 1 }
        }
        state = .leftDelimiter(at: delimiter)
        position = delimiter
        return end > start ? TemplateToken(kind: .text, value: text(start..<end), offset: start) : nil
    }

    private mutating func lexLeftDelimiter(at offset: Int) throws(TemplateSyntaxError) -> TemplateToken? {
        position = offset + 2
        let afterMarker = hasLeftTrimMarker(at: position) ? 2 : 0
        if starts(with: "/*", at: position + afterMarker) {
            try skipComment(openedAt: offset, bodyAt: position + afterMarker + 2)
            state = .text
            return nil
        }
        position += afterMarker
        state = .insideAction
        actionStart = offset
        openParens = []
        return TemplateToken(kind: .leftDelimiter, value: "{{", offset: offset)
    }

    private mutating func skipComment(openedAt offset: Int, bodyAt bodyStart: Int) throws(TemplateSyntaxError) {
        guard let close = find("*/", from: bodyStart) else {
            throw TemplateSyntaxError(message: "unclosed comment", offset: offset)
        }
        position = close + 2
        guard let trims = rightDelimiter(at: position) else {
            throw TemplateSyntaxError(message: "comment ends before closing delimiter", offset: offset)
        }
        position += trims ? 4 : 2
        if trims { skipSpaces() }
    }

    /// `nil` if no `}}` (or ` -}}`) starts here; otherwise whether it trims what follows.
    private func rightDelimiter(at offset: Int) -> Bool? {
        if starts(with: "}}", at: offset) { return false }
        if offset + 1 < source.count, Self.isSpace(source[offset]), source[offset + 1] == "-",
            starts(with: "}}", at: offset + 2)
        {
            return true
        }
        return nil
    }

    /// "{{- " needs the space: "{{-3}}" is the number -3.
    private func hasLeftTrimMarker(at offset: Int) -> Bool {
        offset + 1 < source.count && source[offset] == "-" && Self.isSpace(source[offset + 1])
    }

    // MARK: Inside an action

    private mutating func lexInsideAction() throws(TemplateSyntaxError) -> TemplateToken? {
        if let trims = rightDelimiter(at: position) {
            if let paren = openParens.last { throw TemplateSyntaxError(message: "unclosed left paren", offset: paren) }
            if trims { position += 2 }
            let start = position
            position += 2
            if trims { skipSpaces() }
            state = .text
            return TemplateToken(kind: .rightDelimiter, value: "}}", offset: start)
        }
        guard position < source.count else {
            throw TemplateSyntaxError(message: "unclosed action", offset: actionStart)
        }
        let start = position
        let scalar = source[position]
        position += 1
        switch scalar {
        case _ where Self.isSpace(scalar):
            return lexSpace(from: start)
        case "=":
            return token(.assign, from: start)
        case ":":
            guard position < source.count, source[position] == "=" else {
                throw TemplateSyntaxError(message: "expected :=", offset: start)
            }
            position += 1
            return token(.declare, from: start)
        case "|":
            return token(.pipe, from: start)
        case "\"":
            return try lexQuoted(from: start)
        case "`":
            return try lexRawQuoted(from: start)
        case "'":
            return try lexCharacterConstant(from: start)
        case "$":
            return try lexFieldOrVariable(.variable, from: start)
        case "." where position < source.count && !Self.isDecimalDigit(source[position]):
            return try lexFieldOrVariable(.field, from: start)
        case ".", "+", "-", "0"..."9":
            position = start
            return try lexNumber(from: start)
        case _ where Self.isAlphanumeric(scalar):
            position = start
            return try lexIdentifier(from: start)
        case "(":
            openParens.append(start)
            return token(.leftParen, from: start)
        case ")":
            guard openParens.popLast() != nil else {
                throw TemplateSyntaxError(message: "unexpected right paren \(Self.describe(scalar))", offset: start)
            }
            return token(.rightParen, from: start)
        case _ where scalar.isASCII && GoQuote.isPrintable(scalar):
            return token(.character, from: start)
        default:
            throw TemplateSyntaxError(
                message: "unrecognized character in action: \(Self.describe(scalar))", offset: start)
        }
    }

    private mutating func lexSpace(from start: Int) -> TemplateToken? {
        while position < source.count && Self.isSpace(source[position]) { position += 1 }
        // In " -}}" the last space belongs to the trim marker.
        if position < source.count, source[position] == "-", starts(with: "}}", at: position + 1) {
            position -= 1
            if position == start { return nil }
        }
        return token(.space, from: start)
    }

    private mutating func lexIdentifier(from start: Int) throws(TemplateSyntaxError) -> TemplateToken {
        while position < source.count && Self.isAlphanumeric(source[position]) { position += 1 }
        try expectTerminator(itemStart: start)
        let word = text(start..<position)
        if let keyword = Self.keywords[word] { return TemplateToken(kind: .keyword(keyword), value: word, offset: start) }
        switch word {
        case "nil": return token(.nilConstant, from: start)
        case "true", "false": return token(.bool, from: start)
        default: return token(.identifier, from: start)
        }
    }

    /// `.Name` or `$name`; a lone `.` is dot and a lone `$` the root variable.
    private mutating func lexFieldOrVariable(_ kind: TemplateToken.Kind, from start: Int) throws(TemplateSyntaxError) -> TemplateToken {
        if atTerminator() { return token(kind == .field ? .dot : .variable, from: start) }
        while position < source.count && Self.isAlphanumeric(source[position]) { position += 1 }
        try expectTerminator(itemStart: start)
        return token(kind, from: start)
    }

    private mutating func lexCharacterConstant(from start: Int) throws(TemplateSyntaxError) -> TemplateToken {
        try scanQuoted(closingWith: "'", failure: "unterminated character constant", from: start)
        return token(.characterConstant, from: start)
    }

    private mutating func lexQuoted(from start: Int) throws(TemplateSyntaxError) -> TemplateToken {
        try scanQuoted(closingWith: "\"", failure: "unterminated quoted string", from: start)
        return token(.string, from: start)
    }

    private mutating func scanQuoted(closingWith quote: Unicode.Scalar, failure: String, from start: Int) throws(TemplateSyntaxError) {
        while true {
            guard position < source.count, source[position] != "\n" else {
                throw TemplateSyntaxError(message: failure, offset: start)
            }
            let scalar = source[position]
            position += 1
            if scalar == quote { return }
            if scalar == "\\" {
                guard position < source.count, source[position] != "\n" else {
                    throw TemplateSyntaxError(message: failure, offset: start)
                }
                position += 1
            }
        }
    }

    private mutating func lexRawQuoted(from start: Int) throws(TemplateSyntaxError) -> TemplateToken {
        guard let close = find("`", from: position) else {
            throw TemplateSyntaxError(message: "unterminated raw quoted string", offset: start)
        }
        position = close + 1
        return token(.rawString, from: start)
    }

    /// Go's scanner: deliberately loose ("089" and "0x" pass); the parser rejects what
    /// does not convert.
    private mutating func lexNumber(from start: Int) throws(TemplateSyntaxError) -> TemplateToken {
        guard scanNumber() else {
            throw TemplateSyntaxError(message: "bad number syntax: \(GoQuote.quote(text(start..<position)))", offset: start)
        }
        if position < source.count, source[position] == "+" || source[position] == "-" {
            let isComplex = scanNumber() && source[position - 1] == "i"
            let message = isComplex ? "complex number constants are not supported" : "bad number syntax"
            throw TemplateSyntaxError(message: "\(message): \(GoQuote.quote(text(start..<position)))", offset: start)
        }
        return token(.number, from: start)
    }

    private mutating func scanNumber() -> Bool {
        _ = accept("+-")
        var digits = "0123456789_"
        if accept("0") {
            if accept("xX") {
                digits = "0123456789abcdefABCDEF_"
            } else if accept("oO") {
                digits = "01234567_"
            } else if accept("bB") {
                digits = "01_"
            }
        }
        acceptRun(digits)
        if accept(".") { acceptRun(digits) }
        if digits.count == 11 && accept("eE") {
            _ = accept("+-")
            acceptRun("0123456789_")
        }
        if digits.count == 23 && accept("pP") {
            _ = accept("+-")
            acceptRun("0123456789_")
        }
        _ = accept("i")
        if position < source.count && Self.isAlphanumeric(source[position]) {
            position += 1
            return false
        }
        return true
    }

    // MARK: Helpers

    private func atTerminator() -> Bool {
        guard position < source.count else { return true }
        let scalar = source[position]
        return Self.isSpace(scalar) || ".,|:)(".unicodeScalars.contains(scalar) || starts(with: "}}", at: position)
    }

    /// An identifier, field or variable must end where a new token can start: "$x+2" is an error.
    private func expectTerminator(itemStart: Int) throws(TemplateSyntaxError) {
        guard atTerminator() else {
            throw TemplateSyntaxError(message: "bad character \(Self.describe(source[position]))", offset: itemStart)
        }
    }

    private mutating func accept(_ valid: String) -> Bool {
        guard position < source.count, valid.unicodeScalars.contains(source[position]) else { return false }
        position += 1
        return true
    }

    private mutating func acceptRun(_ valid: String) {
        while accept(valid) {}
    }

    private mutating func skipSpaces() {
        while position < source.count && Self.isSpace(source[position]) { position += 1 }
    }

    private func token(_ kind: TemplateToken.Kind, from start: Int) -> TemplateToken {
        TemplateToken(kind: kind, value: text(start..<position), offset: start)
    }

    private func text(_ range: Range<Int>) -> String {
        var view = String.UnicodeScalarView()
        view.append(contentsOf: source[range])
        return String(view)
    }

    private func starts(with prefix: String, at offset: Int) -> Bool {
        var index = offset
        for scalar in prefix.unicodeScalars {
            guard index < source.count, source[index] == scalar else { return false }
            index += 1
        }
        return true
    }

    private func find(_ needle: String, from offset: Int) -> Int? {
        guard let first = needle.unicodeScalars.first else { return nil }
        var index = offset
        while index < source.count {
            if source[index] == first && starts(with: needle, at: index) { return index }
            index += 1
        }
        return nil
    }

    static func isSpace(_ scalar: Unicode.Scalar) -> Bool {
        scalar == " " || scalar == "\t" || scalar == "\r" || scalar == "\n"
    }

    private static func isDecimalDigit(_ scalar: Unicode.Scalar) -> Bool {
        ("0"..."9").contains(scalar)
    }

    /// Go's letters (category L), decimal digits (Nd) and underscore.
    static func isAlphanumeric(_ scalar: Unicode.Scalar) -> Bool {
        if scalar == "_" { return true }
        switch scalar.properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter, .decimalNumber:
            return true
        default:
            return false
        }
    }

    /// Go's `%#U`: `U+0041 'A'`, without the character when it is not printable.
    static func describe(_ scalar: Unicode.Scalar) -> String {
        let hex = String(scalar.value, radix: 16, uppercase: true)
        let code = "U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
        return GoQuote.isPrintable(scalar) ? "\(code) '\(scalar)'" : code
    }
}
