/// Splits a query into tokens the way Prometheus' lexer does. What a character means depends
/// on the innermost open bracket: inside `{…}` every word is a label name and keywords do not
/// exist, inside `[…]` only numbers, durations and `:` may appear, elsewhere `:` belongs to
/// metric names. A lexical error becomes the last token, so that a syntax error earlier in the
/// input is still the one reported, as with Prometheus' on-demand lexer.
struct PromQLLexer {
    struct Failure: Error {
        let message: String
        let position: Int
    }

    let characters: [Character]
    var index = 0
    /// Unclosed `(`, `{` and `[`, innermost last, to pick the mode and to point at the culprit
    /// when the input ends early.
    private var open: [(bracket: Character, position: Int)] = []
    private var tokens: [PromQLToken] = []

    static func tokenize(_ characters: [Character]) -> [PromQLToken] {
        var lexer = PromQLLexer(characters: characters)
        do {
            while try lexer.lexToken() {}
        } catch {
            lexer.tokens.append(PromQLToken(kind: .error(error.message), text: "", position: error.position))
        }
        return lexer.tokens
    }

    private init(characters: [Character]) {
        self.characters = characters
    }

    /// Returns false once the end of input has been emitted.
    private mutating func lexToken() throws(Failure) -> Bool {
        skipSpaceAndComments()
        guard let character = peek() else {
            if let unclosed = open.last {
                let name = switch unclosed.bracket {
                case "(": "parenthesis"
                case "{": "brace"
                default: "bracket"
                }
                throw Failure(message: "unclosed left \(name)", position: unclosed.position)
            }
            tokens.append(PromQLToken(kind: .endOfInput, text: "", position: index))
            return false
        }
        switch open.last?.bracket {
        case "{": try lexInsideBraces(character)
        case "[": try lexInsideBrackets(character)
        default: try lexStatement(character)
        }
        return true
    }

    private mutating func lexStatement(_ character: Character) throws(Failure) {
        let start = index
        switch character {
        case "(", "{", "[":
            index += 1
            open.append((character, start))
            emit(character == "(" ? .leftParen : character == "{" ? .leftBrace : .leftBracket, from: start)
        case ")":
            index += 1
            if open.last?.bracket == "(" { open.removeLast() }
            emit(.rightParen, from: start)
        case "}":
            index += 1
            emit(.rightBrace, from: start)
        case "]":
            index += 1
            emit(.rightBracket, from: start)
        case ",":
            index += 1
            emit(.comma, from: start)
        case "@":
            index += 1
            emit(.at, from: start)
        case "+", "-", "*", "/", "%", "^":
            index += 1
            emit(.binaryOperator(BinaryOperator(rawValue: String(character))!), from: start)
        case "=", "!", "<", ">":
            try lexOperator()
        case "\"", "'", "`":
            try lexString()
        case _ where startsNumber(character):
            try lexNumberOrDuration()
        case _ where Self.isLetter(character) || character == ":":
            lexWord()
        default:
            throw Failure(message: "unexpected character: \(Self.quoted(character))", position: start)
        }
    }

    private mutating func lexInsideBraces(_ character: Character) throws(Failure) {
        let start = index
        switch character {
        case _ where Self.isLetter(character):
            while let next = peek(), Self.isLetter(next) || Self.isDigit(next) { index += 1 }
            emit(.identifier(String(characters[start..<index])), from: start)
        case ",":
            index += 1
            emit(.comma, from: start)
        case "=", "!":
            try lexOperator(insideBraces: true)
        case "\"", "'", "`":
            try lexString()
        case "}":
            index += 1
            open.removeLast()
            emit(.rightBrace, from: start)
        default:
            throw Failure(message: "unexpected character inside braces: \(Self.quoted(character))", position: start)
        }
    }

    private mutating func lexInsideBrackets(_ character: Character) throws(Failure) {
        let start = index
        switch character {
        case _ where startsNumber(character):
            try lexNumberOrDuration()
        case ":":
            index += 1
            emit(.colon, from: start)
        case "]":
            index += 1
            open.removeLast()
            emit(.rightBracket, from: start)
        default:
            throw Failure(message: "unexpected character inside brackets: \(Self.quoted(character))", position: start)
        }
    }

    /// `=`, `==`, `=~`, `!=`, `!~`, `<`, `<=`, `>`, `>=`; which of them fit is the parser's call.
    /// Inside braces there is no `==`, so `{a=="b"}` fails at the second `=`, as in Prometheus.
    private mutating func lexOperator(insideBraces: Bool = false) throws(Failure) {
        let start = index
        let kind: PromQLToken.Kind
        var length = 2
        switch (characters[index], peek(offset: 1)) {
        case ("=", "=") where !insideBraces: kind = .binaryOperator(.equal)
        case ("=", "~"): kind = .regexMatch
        case ("=", _): kind = .assign; length = 1
        case ("!", "="): kind = .binaryOperator(.notEqual)
        case ("!", "~"): kind = .regexNoMatch
        case ("!", let other):
            let found = other.map(Self.quoted) ?? "end of input"
            throw Failure(message: "unexpected character after '!': \(found)", position: start + 1)
        case ("<", "="): kind = .binaryOperator(.lessOrEqual)
        case ("<", _): kind = .binaryOperator(.less); length = 1
        case (">", "="): kind = .binaryOperator(.greaterOrEqual)
        default: kind = .binaryOperator(.greater); length = 1
        }
        index += length
        emit(kind, from: start)
    }

    /// A name outside braces: a keyword, `Inf`/`NaN`, a metric name with colons, or a plain name.
    private mutating func lexWord() {
        let start = index
        while let next = peek(), Self.isLetter(next) || Self.isDigit(next) || next == ":" { index += 1 }
        let word = String(characters[start..<index])
        if let keyword = PromQLKeyword(word: word) {
            emit(.keyword(keyword), from: start)
        } else if word.lowercased() == "inf" {
            emit(.number(.infinity), from: start)
        } else if word.lowercased() == "nan" {
            emit(.number(.nan), from: start)
        } else if word.contains(":") {
            emit(.metricIdentifier(word), from: start)
        } else {
            emit(.identifier(word), from: start)
        }
    }

    private func startsNumber(_ character: Character) -> Bool {
        Self.isDigit(character) || (character == "." && peek(offset: 1).map(Self.isDigit) == true)
    }

    private mutating func skipSpaceAndComments() {
        while let character = peek() {
            if Self.isSpace(character) {
                index += 1
            } else if character == "#" {
                while let next = peek(), !Self.isLineEnd(next) { index += 1 }
            } else {
                return
            }
        }
    }

    func peek(offset: Int = 0) -> Character? {
        index + offset < characters.count ? characters[index + offset] : nil
    }

    mutating func emit(_ kind: PromQLToken.Kind, from start: Int) {
        tokens.append(PromQLToken(kind: kind, text: String(characters[start..<index]), position: start))
    }

    // Prometheus' character classes are ASCII-only: other scripts' digits and letters are not
    // part of names or numbers.
    static func isLetter(_ character: Character) -> Bool {
        character == "_" || (character.isASCII && character.isLetter)
    }

    static func isDigit(_ character: Character) -> Bool {
        character.isASCII && character.isWholeNumber
    }

    static func isSpace(_ character: Character) -> Bool {
        character == " " || character == "\t" || isLineEnd(character)
    }

    /// The query as Go's lexer reads it, one Unicode scalar (rune) per element. Graphemes would
    /// glue a combining mark to the digit, quote or bracket before it: `"\x41\u{301}"` would
    /// end its escape on a digit that is not one, and `"a"\u{301}` would not close its string.
    static func runes(_ text: String) -> [Character] {
        text.unicodeScalars.map(Character.init)
    }

    static func isLineEnd(_ character: Character) -> Bool {
        character == "\n" || character == "\r" || character == "\r\n"
    }

    /// A character the way Go's `%q` shows a rune: `'x'`, `'\n'`.
    static func quoted(_ character: Character) -> String {
        switch character {
        case "\n": return "'\\n'"
        case "\r": return "'\\r'"
        case "\r\n": return "'\\r\\n'"
        case "\t": return "'\\t'"
        case "'": return "'\\''"
        case "\\": return "'\\\\'"
        default:
            if let scalar = character.unicodeScalars.first, character.unicodeScalars.count == 1,
               scalar.properties.generalCategory == .control {
                return "'\\x" + String(scalar.value, radix: 16) + "'"
            }
            return "'\(character)'"
        }
    }
}
