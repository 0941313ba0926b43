/// Writes one immutable block. Chunk data streams into `<directory>/<id>.tmp/chunks/` as
/// series are added; `finish` writes the index and `meta.json`, makes every file and
/// directory durable, and only then renames the directory to `<id>`. A crash at any point
/// leaves either no block or a complete one: an interrupted write is a `.tmp` directory that
/// `BlockDirectory.removeIncompleteBlocks` deletes on open.
///
/// Series may come in any order; the index lists them sorted by labels, and adding them in
/// label order keeps similar series in the same frames, which zstd rewards. Not thread-safe:
/// one writer per block, used from one task.
///
///     let writer = try BlockWriter(fileSystem: fs, directory: dataDir, id: BlockID(milliseconds: now))
///     for (labels, chunks) in series { try writer.add(labels, chunks: chunks) }
///     let meta = try writer.finish(timeRange: start..<end)
public final class BlockWriter {
    public let id: BlockID
    public let options: BlockWriterOptions
    private let fileSystem: any FileSystem
    private let directory: String
    private let temporaryPath: String
    private let finalPath: String
    private let chunks: ChunkSegmentWriter
    private var series: [BlockSeries] = []
    private var seen: Set<Labels> = []
    private var stats = BlockStats(series: 0, samples: 0, chunks: 0)
    private var timeSpan: (min: Int64, max: Int64)?
    private var isOpen = true

    /// Starts a block in `directory`, which must exist.
    public init(
        fileSystem: any FileSystem, directory: String, id: BlockID, options: BlockWriterOptions = BlockWriterOptions()
    ) throws(BlockWriteError) {
        self.id = id
        self.options = options
        self.fileSystem = fileSystem
        self.directory = directory
        temporaryPath = BlockFileNames.join(directory, BlockFileNames.temporaryDirectory(for: id))
        finalPath = BlockFileNames.join(directory, id.description)
        let chunksPath = BlockFileNames.join(temporaryPath, BlockFileNames.chunksDirectory)
        chunks = ChunkSegmentWriter(fileSystem: fileSystem, directory: chunksPath, options: options)
        guard !fileSystem.exists(finalPath) else { throw .blockExists(finalPath) }
        do {
            // A leftover of an earlier attempt with this ID holds nothing worth keeping.
            if fileSystem.exists(temporaryPath) { try fileSystem.remove(temporaryPath) }
            try fileSystem.createDirectory(chunksPath)
        } catch {
            throw .io(error)
        }
    }

    /// Adds one series with its chunks, in any order of series; chunks are sorted by time and
    /// must not overlap. A series without chunks is skipped. On `duplicateSeries` or
    /// `invalidSeries` nothing was written and the writer stays usable.
    public func add(_ labels: Labels, chunks encoded: [EncodedChunk]) throws(BlockWriteError) {
        guard isOpen else { throw .closed }
        guard !encoded.isEmpty else { return }
        let sorted = encoded.sorted { $0.minTime < $1.minTime }
        try validate(labels, sorted)
        guard seen.insert(labels).inserted else { throw .duplicateSeries(labels) }

        var metas: [BlockChunkMeta] = []
        metas.reserveCapacity(sorted.count)
        for chunk in sorted {
            let ref: BlockChunkRef
            do {
                ref = try chunks.append(chunk.bytes)
            } catch {
                isOpen = false
                throw .io(error)
            }
            metas.append(BlockChunkMeta(
                minTime: chunk.minTime, maxTime: chunk.maxTime, sampleCount: chunk.sampleCount,
                encoding: chunk.encoding, ref: ref))
            stats.samples += chunk.sampleCount
        }
        stats.series += 1
        stats.chunks += metas.count
        // Sorted and not overlapping: the first chunk starts the span, the last one ends it.
        let span = (min: sorted.first!.minTime, max: sorted.last!.maxTime)
        timeSpan = timeSpan.map { (min($0.min, span.min), max($0.max, span.max)) } ?? span
        series.append(BlockSeries(labels: labels, chunks: metas))
    }

    /// Completes the block and moves it into place. `timeRange` (half-open) defaults to the
    /// span of the chunks; `compaction` defaults to level 1 with the block as its own source.
    @discardableResult
    public func finish(timeRange: Range<Int64>? = nil, compaction: BlockCompaction? = nil) throws(BlockWriteError) -> BlockMeta {
        guard isOpen else { throw .closed }
        let range: Range<Int64>
        if let timeRange {
            precondition(!timeRange.isEmpty, "BUG: a block's time range must not be empty")
            if let timeSpan, timeSpan.min < timeRange.lowerBound || timeSpan.max >= timeRange.upperBound {
                throw .outsideTimeRange(minTime: timeSpan.min, maxTime: timeSpan.max)
            }
            range = timeRange
        } else {
            guard let timeSpan, timeSpan.max < Int64.max else { throw .emptyBlock }
            range = timeSpan.min..<timeSpan.max + 1
        }
        isOpen = false
        let meta = BlockMeta(
            id: id, minTime: range.lowerBound, maxTime: range.upperBound, stats: stats,
            compaction: compaction ?? BlockCompaction(level: 1, sources: [id]))
        series.sort { IndexOrder.less($0.labels, $1.labels) }
        do {
            try chunks.finish()
            try fileSystem.syncDirectory(BlockFileNames.join(temporaryPath, BlockFileNames.chunksDirectory))
            try writeFile(BlockFileNames.index, IndexWriter.encode(series, level: options.compressionLevel))
            try writeFile(BlockFileNames.meta, meta.jsonBytes())
            try fileSystem.syncDirectory(temporaryPath)
            try fileSystem.rename(temporaryPath, to: finalPath)
            try fileSystem.syncDirectory(directory)
        } catch {
            throw .io(error)
        }
        series = []
        return meta
    }

    /// Gives up the block and removes what was written. Safe to call after a failure.
    public func abort() {
        isOpen = false
        series = []
        chunks.abandon()
        try? fileSystem.remove(temporaryPath)
    }

    private func writeFile(_ name: String, _ bytes: [UInt8]) throws(FileSystemError) {
        let file = try fileSystem.create(BlockFileNames.join(temporaryPath, name))
        try file.write(bytes)
        try file.sync()
        try file.close()
    }

    private func validate(_ labels: Labels, _ chunks: [EncodedChunk]) throws(BlockWriteError) {
        guard !labels.isEmpty else { throw .invalidSeries(labels, reason: "a series needs at least one label") }
        if let empty = labels.pairs.first(where: { $0.value.isEmpty || $0.name.isEmpty }) {
            throw .invalidSeries(labels, reason: "label \"\(empty.name)\" has an empty name or value")
        }
        var previousMax: Int64?
        for chunk in chunks {
            guard chunk.minTime <= chunk.maxTime, chunk.sampleCount >= 1, chunk.sampleCount <= Int(Int32.max) else {
                throw .invalidSeries(labels, reason: "chunk [\(chunk.minTime), \(chunk.maxTime)] with \(chunk.sampleCount) samples")
            }
            guard !chunk.bytes.isEmpty, chunk.bytes.count <= ChunkSegmentFormat.maxFrameRawSize else {
                throw .invalidSeries(
                    labels, reason: "chunk of \(chunk.bytes.count) bytes (1 to \(ChunkSegmentFormat.maxFrameRawSize) allowed)")
            }
            if let previousMax, chunk.minTime <= previousMax {
                throw .invalidSeries(labels, reason: "chunks overlap at \(chunk.minTime)")
            }
            previousMax = chunk.maxTime
        }
    }
}
