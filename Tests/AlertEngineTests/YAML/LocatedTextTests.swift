import Testing

@testable import AlertEngine

struct LocatedTextTests {
    static let oneLine = LocatedText("sum(rate(x[5m]))", line: 7, column: 15)
    static let block = LocatedText("sum(\n  up\n)\n", line: 10, column: 9)
    static let folded = LocatedText("sum( up )", line: 10, column: 9, isVerbatim: false)

    @Test(arguments: [
        (oneLine, 1, 1, 7, 15), (oneLine, 1, 5, 7, 19),
        (block, 1, 1, 10, 9), (block, 2, 3, 11, 11), (block, 3, 1, 12, 9),
        // Text that is not a copy of the file maps exactly on its first line only.
        (folded, 1, 6, 10, 14), (folded, 2, 3, 10, 9),
    ])
    func mapsTextLinesAndColumnsToTheFile(text: LocatedText, textLine: Int, textColumn: Int, line: Int, column: Int) {
        #expect(text.fileLocation(line: textLine, column: textColumn) == (line, column))
    }

    @Test(arguments: [(0, 10, 9), (4, 10, 13), (5, 11, 9), (7, 11, 11), (9, 11, 13), (10, 12, 9)])
    func mapsScalarOffsets(offset: Int, line: Int, column: Int) {
        #expect(Self.block.fileLocation(scalarOffset: offset) == (line, column))
    }

    @Test(arguments: [(0, 1), (2, 3), (3, 3), (4, 4), (8, 8), (100, 8)])
    func mapsUTF8OffsetsAcrossMultibyteCharacters(offset: Int, column: Int) {
        // "é" is two bytes and one column: an offset inside it is the character; offsets
        // past the end stop just after the last character.
        let text = LocatedText("a{é=\"\"}", line: 1, column: 1)
        #expect(text.fileLocation(utf8Offset: offset) == (1, column))
    }
}
