extension StringProtocol where UTF8View: BidirectionalCollection {
    /// Drops trailing bytes that match `isTrimmed` (ASCII only) by scanning UTF-8 bytes from
    /// the end. `reversed().drop(while:)` breaks the text into grapheme clusters twice, which
    /// showed in every collection that reads one-value sysfs files.
    func droppingTrailingASCII(where isTrimmed: (UInt8) -> Bool) -> SubSequence {
        var end = utf8.endIndex
        while end != utf8.startIndex {
            let before = utf8.index(before: end)
            guard utf8[before] < 0x80, isTrimmed(utf8[before]) else { break }
            end = before
        }
        return self[startIndex..<end]
    }

    /// Without the trailing newlines and spaces of a sysfs attribute file.
    func droppingTrailingNewlinesAndSpaces() -> SubSequence {
        droppingTrailingASCII { $0 == UInt8(ascii: "\n") || $0 == UInt8(ascii: " ") }
    }
}
