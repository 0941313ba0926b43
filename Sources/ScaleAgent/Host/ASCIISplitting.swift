extension StringProtocol {
    /// Splits on one ASCII byte by walking UTF-8, without the grapheme breaking that
    /// `split(separator: Character)` does: that cost dominated parsing /proc files, which are
    /// ASCII, on every collection.
    func splitASCII(_ separator: UInt8, omittingEmptySubsequences: Bool = true) -> [SubSequence] {
        var parts: [SubSequence] = []
        var start = utf8.startIndex
        var index = start
        while index != utf8.endIndex {
            if utf8[index] == separator {
                if !omittingEmptySubsequences || start != index { parts.append(self[start..<index]) }
                start = utf8.index(after: index)
            }
            index = utf8.index(after: index)
        }
        if !omittingEmptySubsequences || start != index { parts.append(self[start..<index]) }
        return parts
    }

    /// Splits on runs of spaces and tabs, as `split(whereSeparator:)` on both would.
    func splitASCIIWhitespace() -> [SubSequence] {
        var parts: [SubSequence] = []
        var start: String.Index?
        var index = utf8.startIndex
        while index != utf8.endIndex {
            let byte = utf8[index]
            if byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") {
                if let begin = start { parts.append(self[begin..<index]) }
                start = nil
            } else if start == nil {
                start = index
            }
            index = utf8.index(after: index)
        }
        if let begin = start { parts.append(self[begin..<index]) }
        return parts
    }
}
