extension StringProtocol {
    /// Splits on one ASCII byte by scanning UTF-8 bytes, without the grapheme breaking that
    /// `split(separator: Character)` does: that cost dominated parsing /proc files, which are
    /// ASCII, on every collection.
    func splitASCII(_ separator: UInt8, omittingEmptySubsequences: Bool = true) -> [SubSequence] {
        let view = utf8
        let fast = view.withContiguousStorageIfAvailable { bytes -> [SubSequence] in
            var parts: [SubSequence] = []
            var start = 0
            var startIndex = view.startIndex
            for offset in 0..<bytes.count where bytes[offset] == separator {
                let end = view.index(startIndex, offsetBy: offset - start)
                if !omittingEmptySubsequences || offset != start { parts.append(self[startIndex..<end]) }
                startIndex = view.index(after: end)
                start = offset + 1
            }
            if !omittingEmptySubsequences || start != bytes.count { parts.append(self[startIndex..<view.endIndex]) }
            return parts
        }
        if let fast { return fast }
        var parts: [SubSequence] = []
        var start = view.startIndex
        var index = start
        while index != view.endIndex {
            if view[index] == separator {
                if !omittingEmptySubsequences || start != index { parts.append(self[start..<index]) }
                start = view.index(after: index)
            }
            index = view.index(after: index)
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
