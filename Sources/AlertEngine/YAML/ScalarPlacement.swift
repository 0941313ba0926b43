import Yams

/// Where a scalar's text starts in the file. Yams marks where the scalar starts, which is
/// the opening quote of a quoted scalar and the `|` or `>` of a block scalar, not its text.
struct ScalarPlacement {
    let lines: [Substring]

    func locate(_ text: String, style: Node.Scalar.Style, mark: Mark) -> LocatedText {
        switch style {
        case .literal, .folded:
            // The text starts on the line after the indicator, at the block's indentation,
            // which the first non-blank line sets.
            let firstLine = mark.line + 1
            let firstContent = lines.dropFirst(mark.line).first { $0.contains { $0 != " " } }
            let indentation = firstContent?.prefix { $0 == " " }.count ?? 0
            let column = indentation + 1
            let verbatim = style == .literal && matchesSource(text, line: firstLine, column: column)
            return LocatedText(text, line: firstLine, column: column, isVerbatim: verbatim)
        case .singleQuoted, .doubleQuoted:
            let column = mark.column + 1
            let verbatim = isOneLine(text) && matchesSource(text, line: mark.line, column: column)
            return LocatedText(text, line: mark.line, column: column, isVerbatim: verbatim)
        default:
            let verbatim = isOneLine(text) && matchesSource(text, line: mark.line, column: mark.column)
            return LocatedText(text, line: mark.line, column: mark.column, isVerbatim: verbatim)
        }
    }

    private func isOneLine(_ text: String) -> Bool {
        !text.contains("\n")
    }

    /// Whether each line of `text` is found on consecutive file lines from `line`, at `column`.
    private func matchesSource(_ text: String, line: Int, column: Int) -> Bool {
        for (offset, textLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            // Blank lines of a block may be shorter than its indentation, and the last
            // (after the final newline) may be past the end of the file.
            if textLine.isEmpty { continue }
            let index = line - 1 + offset
            guard index < lines.count, lines[index].unicodeScalars.dropFirst(column - 1).starts(with: textLine.unicodeScalars) else {
                return false
            }
        }
        return true
    }
}
