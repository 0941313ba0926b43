/// A string read from a YAML file, with the place where its text starts, so that the parser
/// that later reads it (PromQL for `expr`, the series notation for `values`) can report its
/// errors at a file line and column instead of an offset into a string.
///
/// Columns count Unicode scalars, as Yams' marks do.
public struct LocatedText: Sendable, Hashable {
    public let text: String
    /// 1-based place of the text's first character in the file.
    public let line: Int
    public let column: Int
    /// True when the text is a verbatim copy of the file: every line of it sits on its own
    /// file line starting at `column` (a single-line scalar without escapes, a literal `|`
    /// block). Then every position maps exactly; otherwise (folded lines, escapes) a position
    /// maps to the right place on the first line at best.
    public let isVerbatim: Bool

    public init(_ text: String, line: Int, column: Int, isVerbatim: Bool = true) {
        self.text = text
        self.line = line
        self.column = column
        self.isVerbatim = isVerbatim
    }

    /// Where the character at the 1-based `line` and `column` of the text is in the file.
    public func fileLocation(line textLine: Int, column textColumn: Int) -> (line: Int, column: Int) {
        if textLine <= 1 { return (line, column + max(textColumn, 1) - 1) }
        guard isVerbatim else { return (line, column) }
        return (line + textLine - 1, column + max(textColumn, 1) - 1)
    }

    /// Where the Unicode scalar at 0-based `scalarOffset` of the text is in the file.
    public func fileLocation(scalarOffset: Int) -> (line: Int, column: Int) {
        var textLine = 1
        var textColumn = 1
        for scalar in text.unicodeScalars.prefix(max(scalarOffset, 0)) {
            if scalar == "\n" {
                textLine += 1
                textColumn = 1
            } else {
                textColumn += 1
            }
        }
        return fileLocation(line: textLine, column: textColumn)
    }

    /// Where the byte at 0-based `utf8Offset` of the text's UTF-8 form is in the file.
    public func fileLocation(utf8Offset: Int) -> (line: Int, column: Int) {
        let utf8 = text.utf8
        let clamped = min(max(utf8Offset, 0), utf8.count)
        let index = utf8.index(utf8.startIndex, offsetBy: clamped)
        let scalars = text.unicodeScalars[..<index].count
        return fileLocation(scalarOffset: scalars)
    }
}
