/// One lexical item of a template, as Go's template lexer produces them.
struct TemplateToken: Sendable {
    enum Keyword: String, Sendable {
        case `if`, `else`, end, range, with, `break`, `continue`, define, template, block
    }

    enum Kind: Equatable, Sendable {
        case text
        case leftDelimiter
        case rightDelimiter
        case space
        /// `:=`
        case declare
        /// `=`
        case assign
        case pipe
        case leftParen
        case rightParen
        /// Any other printable ASCII character inside an action; only `,` means something.
        case character
        case string
        case rawString
        case characterConstant
        case number
        case bool
        case identifier
        /// `.Name`
        case field
        /// `$` or `$name`
        case variable
        case dot
        case nilConstant
        case keyword(Keyword)
        case eof
    }

    let kind: Kind
    /// The text of a text token after trimming; the source text of anything else.
    let value: String
    /// Where it starts, in Unicode scalars from the start of the template.
    let offset: Int

    /// How Go's parser names a token in "unexpected …" messages.
    var goDescription: String {
        switch kind {
        case .eof: return "EOF"
        case .keyword, .dot, .nilConstant: return "<\(value)>"
        default:
            guard value.unicodeScalars.count > 10 else { return GoQuote.quote(value) }
            var prefix = String.UnicodeScalarView()
            prefix.append(contentsOf: value.unicodeScalars.prefix(10))
            return GoQuote.quote(String(prefix)) + "..."
        }
    }
}
