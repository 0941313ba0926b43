/// One lexeme of a query. `position` is the offset of its first character in the input,
/// counted in Swift `Character`s, which is what error carets are drawn against.
struct PromQLToken: Sendable, Equatable {
    enum Kind: Sendable, Equatable {
        /// A plain name: a function, a metric, or a label inside braces.
        case identifier(String)
        /// A name containing `:`, which can only be a metric (recording-rule style).
        case metricIdentifier(String)
        case keyword(PromQLKeyword)
        case number(Double)
        case duration(milliseconds: Int64)
        /// The decoded contents of a quoted or raw string.
        case string(String)
        case leftParen, rightParen, leftBrace, rightBrace, leftBracket, rightBracket
        case comma, colon, at
        /// `=` and the two regex matchers; `!=` is `.binaryOperator(.notEqual)` in both roles.
        case assign, regexMatch, regexNoMatch
        case binaryOperator(BinaryOperator)
        case endOfInput
        /// The lexer stopped here; the parser reports it only if it gets this far.
        case error(String)
    }

    let kind: Kind
    /// The source text, kept for error messages and for keywords used as names.
    let text: String
    let position: Int

    /// How error messages name the token, in the style of Prometheus' parser.
    var summary: String {
        switch kind {
        case .identifier: return "identifier \"\(text)\""
        case .metricIdentifier: return "metric identifier \"\(text)\""
        case .number: return "number \"\(text)\""
        case .duration: return "duration \"\(text)\""
        case .string: return "string \(text.count > 12 ? text.prefix(10) + "..." : text)"
        case .endOfInput: return "end of input"
        case .error(let message): return message
        default: return "\"\(text)\""
        }
    }
}
