/// A block's `index` file, checked and expanded on open: header and TOC are verified, every
/// section's frame checksum is checked and the section decompressed, and the symbol table,
/// the series offsets and the postings offset table are decoded. Series entries and postings
/// lists are decoded when asked for, still through bounds-checked cursors, so a structural
/// error found late is reported like one found early.
///
/// Why on open: a query needs the symbols and the offset table anyway, the index is a few
/// percent of a block, and a corrupt index found at open time lets the block be quarantined
/// before it answers any query wrongly.
struct IndexReader: Sendable {
    let symbols: [String]
    let symbolRefs: [String: Int]
    /// The decompressed series section and the offset of each entry in it, by series id.
    let seriesData: [UInt8]
    let seriesOffsets: [Int]
    /// Label pairs with a postings list, sorted by name ref, then value ref.
    let pairs: [IndexLabelPair]
    /// The decompressed postings section and the offset of each pair's list in it.
    let postingsData: [UInt8]
    let postingsOffsets: [Int]
    /// For each name ref, the range of `pairs` holding its values.
    let valuesByName: [Int: Range<Int>]

    private let block: String
    /// Where each section's frame starts in the file, and whether it is compressed: errors
    /// inside a section are located through these.
    private let sections: [Section]

    struct Section: Sendable {
        let kind: IndexSection
        let frameOffset: Int
        let isCompressed: Bool
    }

    init(bytes: [UInt8], block: String) throws(BlockReadError) {
        self.block = block
        let frames = try Self.frames(bytes, block: block)
        sections = frames.map(\.section)
        let sections = self.sections

        var cursor = ByteCursor(frames[IndexSection.symbols.rawValue].data)
        symbols = Self.decodeSymbols(&cursor)
        try Self.check(cursor, sections[IndexSection.symbols.rawValue], block: block)
        var refs: [String: Int] = [:]
        refs.reserveCapacity(symbols.count)
        for (ref, symbol) in symbols.enumerated() { refs[symbol] = ref }
        symbolRefs = refs

        seriesData = frames[IndexSection.series.rawValue].data
        cursor = ByteCursor(seriesData)
        seriesOffsets = Self.scanSeries(&cursor)
        try Self.check(cursor, sections[IndexSection.series.rawValue], block: block)

        postingsData = frames[IndexSection.postings.rawValue].data
        cursor = ByteCursor(frames[IndexSection.postingsOffsetTable.rawValue].data)
        let table = Self.decodeOffsetTable(&cursor, symbolCount: symbols.count, postingsSize: postingsData.count)
        try Self.check(cursor, sections[IndexSection.postingsOffsetTable.rawValue], block: block)
        pairs = table.map(\.pair)
        postingsOffsets = table.map(\.offset)

        var byName: [Int: Range<Int>] = [:]
        var start = 0
        for index in pairs.indices where index == pairs.count - 1 || pairs[index + 1].name != pairs[index].name {
            byName[pairs[index].name] = start..<index + 1
            start = index + 1
        }
        valuesByName = byName
    }

    var seriesCount: Int { seriesOffsets.count }

    func series(_ id: Int) throws(BlockReadError) -> BlockSeries {
        precondition(id >= 0 && id < seriesCount, "BUG: series id \(id) of \(seriesCount)")
        var cursor = ByteCursor(seriesData[seriesOffsets[id]...])
        let series = IndexSeriesEntry.decode(&cursor, symbols: symbols)
        try Self.check(cursor, sections[IndexSection.series.rawValue], base: seriesOffsets[id], block: block)
        guard let series else {
            throw Self.corrupt(block, sections[IndexSection.series.rawValue], at: seriesOffsets[id], "a series entry", found: "none")
        }
        return series
    }

    /// The postings list of `pairs[index]`.
    func postings(pairIndex index: Int) throws(BlockReadError) -> [Int] {
        let start = postingsOffsets[index]
        let end = index + 1 < postingsOffsets.count ? postingsOffsets[index + 1] : postingsData.count
        var cursor = ByteCursor(postingsData[start..<end])
        let ids = PostingsList.decode(&cursor, seriesCount: seriesCount)
        cursor.expectEnd("postings list")
        try Self.check(cursor, sections[IndexSection.postings.rawValue], base: start, block: block)
        return ids
    }

    /// Indices into `pairs` of the values of label `name`, in value order.
    func pairIndices(name: String) -> Range<Int> {
        guard let ref = symbolRefs[name], let range = valuesByName[ref] else { return 0..<0 }
        return range
    }

    // MARK: - Open-time decoding

    /// Checks header and TOC, verifies and expands every section's frame.
    private static func frames(_ bytes: [UInt8], block: String) throws(BlockReadError) -> [(section: Section, data: [UInt8])] {
        let sectionCount = IndexSection.allCases.count
        let minimum = IndexFormat.headerSize + sectionCount * CompressedFrame.overhead + IndexFormat.tocSize
        guard bytes.count >= minimum else {
            throw corrupt(block, at: bytes.count, "an index of at least \(minimum) bytes", found: "\(bytes.count) bytes")
        }
        var header = ByteCursor(bytes[0..<IndexFormat.headerSize])
        let magic = header.bigEndian32("magic")
        let version = header.byte("version")
        guard magic == IndexFormat.magic else {
            throw corrupt(block, at: 0, "index magic \(CompressedFrame.hex(IndexFormat.magic))", found: CompressedFrame.hex(magic))
        }
        guard version == IndexFormat.version else {
            throw .unsupportedVersion(block: block, file: BlockFileNames.index, version: Int(version))
        }

        let tocStart = bytes.count - IndexFormat.tocSize
        var toc = ByteCursor(bytes[tocStart...])
        let offsets = (0..<sectionCount).map { toc.bigEndian64("offset of section \(IndexSection(rawValue: $0)!)") }
        let stored = toc.bigEndian32("TOC crc32c")
        let computed = CRC32C.checksum(bytes[tocStart..<bytes.count - IndexFormat.checksumSize])
        guard stored == computed else {
            throw corrupt(
                block, at: tocStart + sectionCount * 8, "TOC crc32c \(CompressedFrame.hex(computed))",
                found: CompressedFrame.hex(stored))
        }

        var frames: [(section: Section, data: [UInt8])] = []
        var start = IndexFormat.headerSize
        for kind in IndexSection.allCases {
            let tocEntry = tocStart + kind.rawValue * 8
            guard offsets[kind.rawValue] == UInt64(start) else {
                throw corrupt(
                    block, at: tocEntry, "\(kind) to start at \(start), right after the previous section",
                    found: "\(offsets[kind.rawValue])")
            }
            let next = kind.rawValue + 1 < sectionCount ? offsets[kind.rawValue + 1] : UInt64(tocStart)
            guard next <= UInt64(tocStart), next >= UInt64(start + CompressedFrame.overhead) else {
                throw corrupt(
                    block, at: tocEntry + (kind.rawValue + 1 < sectionCount ? 8 : 0),
                    "\(kind) of at least \(CompressedFrame.overhead) bytes before the TOC", found: "it ends at \(next)")
            }
            let end = Int(next)
            let frameHeader = CompressedFrame.header(bytes[start..<start + CompressedFrame.headerSize])
            guard frameHeader.storedLength == end - start - CompressedFrame.overhead else {
                throw corrupt(
                    block, at: start + 4, "\(kind) stored length \(end - start - CompressedFrame.overhead) (up to the next section)",
                    found: "\(frameHeader.storedLength)")
            }
            let payloadStart = start + CompressedFrame.headerSize
            let data: [UInt8]
            do {
                data = try CompressedFrame.decode(
                    header: frameHeader, headerBytes: bytes[start..<payloadStart],
                    payload: bytes[payloadStart..<end - CompressedFrame.checksumSize],
                    checksum: bytes[(end - CompressedFrame.checksumSize)..<end], maxRawLength: IndexFormat.maxSectionSize)
            } catch {
                throw corrupt(block, at: start + error.offset, "\(kind): \(error.expected)", found: error.found)
            }
            frames.append((Section(kind: kind, frameOffset: start, isCompressed: frameHeader.codec != FrameCodec.none.rawValue), data))
            start = end
        }
        return frames
    }

    private static func decodeSymbols(_ cursor: inout ByteCursor) -> [String] {
        let count = cursor.uvarint("symbol count")
        guard count <= UInt64(cursor.remaining) else {
            cursor.fail("a symbol count of at most \(cursor.remaining)", found: "\(count)", at: 0)
            return []
        }
        var symbols: [String] = []
        symbols.reserveCapacity(Int(count))
        for _ in 0..<Int(count) {
            let start = cursor.offset
            let length = cursor.uvarint("symbol length")
            let utf8 = cursor.bytes(count: Int(clamping: length), "symbol")
            guard cursor.error == nil else { return [] }
            guard let symbol = String(validating: utf8, as: UTF8.self) else {
                cursor.fail("a UTF-8 symbol", found: "invalid UTF-8", at: start)
                return []
            }
            if let last = symbols.last, !IndexOrder.less(last, symbol) {
                cursor.fail("symbols in ascending byte order", found: "\"\(symbol)\" after \"\(last)\"", at: start)
                return []
            }
            symbols.append(symbol)
        }
        cursor.expectEnd("symbol table")
        return symbols
    }

    /// Walks the length prefixes of the series section; returns each entry's offset in it.
    private static func scanSeries(_ cursor: inout ByteCursor) -> [Int] {
        let count = cursor.uvarint("series count")
        guard count <= UInt64(cursor.remaining) else {
            cursor.fail("a series count of at most \(cursor.remaining)", found: "\(count)", at: 0)
            return []
        }
        var offsets: [Int] = []
        offsets.reserveCapacity(Int(count))
        for _ in 0..<Int(count) {
            offsets.append(cursor.offset)
            let length = cursor.uvarint("series entry length")
            _ = cursor.bytes(count: Int(clamping: length), "series entry")
            guard cursor.error == nil else { return [] }
        }
        cursor.expectEnd("series section")
        return offsets
    }

    private static func decodeOffsetTable(
        _ cursor: inout ByteCursor, symbolCount: Int, postingsSize: Int
    ) -> [(pair: IndexLabelPair, offset: Int)] {
        let count = cursor.uvarint("postings offset table count")
        guard count <= UInt64(cursor.remaining / 3) else {
            cursor.fail("an entry count of at most \(cursor.remaining / 3)", found: "\(count)", at: 0)
            return []
        }
        var entries: [(pair: IndexLabelPair, offset: Int)] = []
        entries.reserveCapacity(Int(count))
        for _ in 0..<Int(count) {
            let start = cursor.offset
            let name = cursor.uvarint("label name ref")
            let value = cursor.uvarint("label value ref")
            let offset = cursor.uvarint("postings offset")
            guard cursor.error == nil else { return [] }
            guard name < UInt64(symbolCount), value < UInt64(symbolCount) else {
                cursor.fail("symbol refs below \(symbolCount)", found: "\(name), \(value)", at: start)
                return []
            }
            let pair = IndexLabelPair(name: Int(name), value: Int(value))
            if let last = entries.last, !(last.pair < pair) || UInt64(last.offset) >= offset {
                cursor.fail("entries ascending by label pair and offset", found: "a pair or offset out of order", at: start)
                return []
            }
            guard offset < UInt64(postingsSize) else {
                cursor.fail("a postings offset below \(postingsSize)", found: "\(offset)", at: start)
                return []
            }
            entries.append((pair, Int(offset)))
        }
        cursor.expectEnd("postings offset table")
        return entries
    }

    /// Throws the cursor's error, if any. `base` is where the cursor's bytes start in the
    /// section's data.
    private static func check(_ cursor: ByteCursor, _ section: Section, base: Int = 0, block: String) throws(BlockReadError) {
        guard let error = cursor.error else { return }
        throw corrupt(block, section, at: base + error.offset, error.expected, found: error.found)
    }

    /// An error at byte `offset` of a section's data: a file offset when the section is stored
    /// as it is; for a compressed one, the frame's offset, with the position inside the
    /// decompressed data in the message.
    private static func corrupt(
        _ block: String, _ section: Section, at offset: Int, _ expected: String, found: String
    ) -> BlockReadError {
        if section.isCompressed {
            return corrupt(
                block, at: section.frameOffset,
                "\(section.kind) (byte \(offset) of its decompressed data): \(expected)", found: found)
        }
        return corrupt(block, at: section.frameOffset + CompressedFrame.headerSize + offset, expected, found: found)
    }

    private static func corrupt(_ block: String, at offset: Int, _ expected: String, found: String) -> BlockReadError {
        .corrupt(BlockCorruptionError(block: block, file: BlockFileNames.index, offset: offset, expected: expected, found: found))
    }
}
