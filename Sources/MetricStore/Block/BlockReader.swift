
/// An open block: answers label names and values, postings for matchers, series and chunks.
///
/// What is verified when: `meta.json` and the whole index (header, TOC, every section's
/// CRC-32C, symbols, postings offset table) on open, and the header of every chunk segment;
/// a chunk frame's CRC each time it is read from disk (cache hits were verified when they
/// were read). Chunk data is most of a block, so checking it all on open would make opening
/// cost a full read; a damaged frame is found by the first query touching it, and compaction
/// reads every frame. Every error is a `BlockReadError`; no input makes a reader trap.
///
/// Thread-safe: everything but the frame cache is immutable, and the cache is locked.
public final class BlockReader: Sendable {
    public static let defaultCacheBytes = 4 << 20

    /// The block's directory.
    public let directory: String
    public let meta: BlockMeta
    let index: IndexReader
    /// Size of segment `n` at `segmentSizes[n - 1]`.
    let segmentSizes: [Int]
    let frames: ChunkFrameReader
    let cache: Locked<FrameCache>

    public init(
        fileSystem: any FileSystem, directory: String, cacheBytes: Int = BlockReader.defaultCacheBytes
    ) throws(BlockReadError) {
        self.directory = directory
        meta = try Self.readMeta(fileSystem, directory)
        let indexBytes = try BlockReadError.io { () throws(FileSystemError) in
            try fileSystem.read(BlockFileNames.join(directory, BlockFileNames.index))
        }
        index = try IndexReader(bytes: indexBytes, block: directory)
        // meta.json has no checksum; this catches a meta and an index from different writes.
        guard meta.stats.series == index.seriesCount else {
            throw .corrupt(BlockCorruptionError(
                block: directory, file: BlockFileNames.meta, offset: 0,
                expected: "stats.series equal to the index's \(index.seriesCount) series", found: "\(meta.stats.series)"))
        }
        frames = ChunkFrameReader(fileSystem: fileSystem, block: directory)
        segmentSizes = try Self.segmentSizes(fileSystem, directory, frames)
        cache = Locked(FrameCache(capacity: cacheBytes))
    }

    public var seriesCount: Int { index.seriesCount }

    /// Every label name of the block's series, sorted by bytes.
    public func labelNames() -> [String] {
        var names: [String] = []
        var previous: Int?
        for pair in index.pairs where pair.name != previous {
            names.append(index.symbols[pair.name])
            previous = pair.name
        }
        return names
    }

    /// The values label `name` takes in the block, sorted by bytes.
    public func labelValues(_ name: String) -> [String] {
        index.pairIndices(name: name).map { index.symbols[index.pairs[$0].value] }
    }

    /// The labels and chunk metas of series `id`, an ordinal in `0..<seriesCount` as postings
    /// return them; an id outside that range is a programmer error and traps.
    public func series(_ id: Int) throws(BlockReadError) -> BlockSeries {
        try index.series(id)
    }

    private static func readMeta(_ fileSystem: any FileSystem, _ directory: String) throws(BlockReadError) -> BlockMeta {
        let path = BlockFileNames.join(directory, BlockFileNames.meta)
        let size = try BlockReadError.io { () throws(FileSystemError) in try fileSystem.size(of: path) }
        guard size <= BlockMeta.maxJSONSize else {
            throw .corrupt(BlockCorruptionError(
                block: directory, file: BlockFileNames.meta, offset: BlockMeta.maxJSONSize,
                expected: "at most \(BlockMeta.maxJSONSize) bytes", found: "\(size) bytes"))
        }
        let bytes = try BlockReadError.io { () throws(FileSystemError) in try fileSystem.read(path) }
        do {
            return try BlockMeta(json: bytes)
        } catch {
            switch error {
            case .unsupportedVersion(let version):
                throw .unsupportedVersion(block: directory, file: BlockFileNames.meta, version: version)
            case .malformed(let offset, let expected):
                throw .corrupt(BlockCorruptionError(
                    block: directory, file: BlockFileNames.meta, offset: offset, expected: expected, found: "something else"))
            case .invalidField(let field, let expected):
                throw .corrupt(BlockCorruptionError(
                    block: directory, file: BlockFileNames.meta, offset: 0, expected: "\(field): \(expected)",
                    found: "a missing or invalid value"))
            }
        }
    }

    /// Lists `chunks/`, which must hold segments 1…n and nothing else, and checks each header.
    private static func segmentSizes(
        _ fileSystem: any FileSystem, _ directory: String, _ frames: ChunkFrameReader
    ) throws(BlockReadError) -> [Int] {
        let chunksPath = BlockFileNames.join(directory, BlockFileNames.chunksDirectory)
        var sizes: [Int] = []
        let names = try BlockReadError.io { () throws(FileSystemError) in try fileSystem.list(chunksPath) }
        for (position, name) in names.enumerated() {
            guard BlockFileNames.segmentNumber(name) == position + 1 else {
                throw .corrupt(BlockCorruptionError(
                    block: directory, file: BlockFileNames.chunksDirectory + "/" + name, offset: 0,
                    expected: "segment \(BlockFileNames.segment(position + 1))", found: "file \"\(name)\""))
            }
            let size = try BlockReadError.io { () throws(FileSystemError) in
                try fileSystem.size(of: BlockFileNames.join(chunksPath, name))
            }
            try frames.checkHeader(segment: position + 1, size: size)
            sizes.append(size)
        }
        return sizes
    }
}
