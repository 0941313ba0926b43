/// Why a query does not parse, and where: `position` is the offset in the query, counted in
/// Unicode scalars (Go's runes) from 0, of the token or expression at fault.
public struct PromQLParseError: Error, Sendable, Hashable, CustomStringConvertible {
    public let message: String
    public let position: Int
    public let input: String

    public init(message: String, position: Int, input: String) {
        self.message = message
        self.position = position
        self.input = input
    }

    /// The message, then the offending line with a caret under the character at `position`:
    ///
    ///     parse error at char 5: unexpected "}", expected expression
    ///     rate(}
    ///          ^
    /// Characters shown on each side of the position.
    static let context = 60

    public var description: String {
        let characters = PromQLLexer.runes(input)
        let clamped = min(max(position, 0), characters.count)
        var lineStart = clamped
        while lineStart > 0, !PromQLLexer.isLineEnd(characters[lineStart - 1]) { lineStart -= 1 }
        var lineEnd = clamped
        while lineEnd < characters.count, !PromQLLexer.isLineEnd(characters[lineEnd]) { lineEnd += 1 }
        // "\r\n" is two runes and one line break.
        let lineNumber = characters[..<lineStart].indices.filter { index in
            PromQLLexer.isLineEnd(characters[index]) && !(characters[index] == "\r" && index + 1 < characters.count && characters[index + 1] == "\n")
        }.count + 1
        let column = clamped - lineStart

        let location = lineNumber == 1 && lineEnd == characters.count
            ? "char \(position)"
            : "char \(position) (line \(lineNumber), column \(column + 1))"
        // A long line is shown around the position only: a 40,000-character query must not
        // come back as 80,000 characters of message.
        let shownStart = max(lineStart, clamped - Self.context)
        let shownEnd = min(lineEnd, clamped + Self.context)
        let before = shownStart > lineStart ? "…" : ""
        let after = shownEnd < lineEnd ? "…" : ""
        // Tabs are copied so that the caret lines up however wide the terminal draws them.
        let padding = (before.isEmpty ? "" : " ") + characters[shownStart..<clamped].map { $0 == "\t" ? "\t" : " " }.joined()
        return "parse error at \(location): \(message)\n"
            + before + String(characters[shownStart..<shownEnd]) + after + "\n"
            + padding + "^"
    }
}
