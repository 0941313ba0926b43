/// Builds the bytes of a block's `index` file (IndexFormat, docs/format/index.md) from the
/// block's series. Series ordinals — the ids postings refer to — are positions in `series`,
/// which the caller has sorted by `IndexOrder`. Sections are zstd-compressed at `level` where
/// that makes them smaller: the series section, regular chunk metas over and over, shrinks
/// about tenfold.
enum IndexWriter {
    static func encode(_ series: [BlockSeries], level: Int32 = Zstd.defaultLevel) -> [UInt8] {
        let symbols = symbolTable(series)
        var symbolRefs: [String: Int] = [:]
        symbolRefs.reserveCapacity(symbols.count)
        for (ref, symbol) in symbols.enumerated() { symbolRefs[symbol] = ref }

        var file = ByteWriter()
        file.putBigEndian32(IndexFormat.magic)
        file.putByte(IndexFormat.version)
        var offsets: [Int] = []

        offsets.append(file.count)
        var symbolData = ByteWriter()
        symbolData.putUvarint(UInt64(symbols.count))
        for symbol in symbols {
            symbolData.putUvarint(UInt64(symbol.utf8.count))
            symbolData.putBytes(symbol.utf8)
        }
        putSection(symbolData.bytes, level: level, into: &file)

        offsets.append(file.count)
        var seriesData = ByteWriter()
        seriesData.putUvarint(UInt64(series.count))
        for entry in series {
            IndexSeriesEntry.encode(entry, symbols: symbolRefs, into: &seriesData)
        }
        putSection(seriesData.bytes, level: level, into: &file)

        // Postings per label pair, keyed by symbol refs: sorting the refs sorts the pairs by
        // name, then value, in byte order, because the symbol table is sorted that way.
        var postings: [IndexLabelPair: [Int]] = [:]
        for (id, entry) in series.enumerated() {
            for label in entry.labels.pairs {
                postings[IndexLabelPair(name: symbolRefs[label.name]!, value: symbolRefs[label.value]!), default: []].append(id)
            }
        }
        let pairs = postings.keys.sorted()
        var postingsData = ByteWriter()
        var listOffsets: [Int] = []
        for pair in pairs {
            listOffsets.append(postingsData.count)
            PostingsList.encode(postings[pair]!, into: &postingsData)
        }
        offsets.append(file.count)
        putSection(postingsData.bytes, level: level, into: &file)

        offsets.append(file.count)
        var table = ByteWriter()
        table.putUvarint(UInt64(pairs.count))
        for (pair, offset) in zip(pairs, listOffsets) {
            table.putUvarint(UInt64(pair.name))
            table.putUvarint(UInt64(pair.value))
            table.putUvarint(UInt64(offset))
        }
        putSection(table.bytes, level: level, into: &file)

        var toc = ByteWriter()
        for offset in offsets { toc.putBigEndian64(UInt64(offset)) }
        let tocChecksum = CRC32C.checksum(toc.bytes)
        toc.putBigEndian32(tocChecksum)
        file.putBytes(toc.bytes)
        return file.bytes
    }

    /// Every label name and value, once each, sorted by bytes.
    static func symbolTable(_ series: [BlockSeries]) -> [String] {
        var unique = Set<String>()
        for entry in series {
            for label in entry.labels.pairs {
                unique.insert(label.name)
                unique.insert(label.value)
            }
        }
        return unique.sorted(by: IndexOrder.less)
    }

    private static func putSection(_ data: [UInt8], level: Int32, into file: inout ByteWriter) {
        precondition(data.count <= IndexFormat.maxSectionSize, "BUG: an index section of \(data.count) bytes")
        CompressedFrame.encode(data[...], level: level, into: &file)
    }
}
