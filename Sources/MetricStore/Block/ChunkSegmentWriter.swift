/// Packs chunks into frames and frames into segment files (ChunkSegmentFormat). A chunk's
/// reference is known as soon as it is appended — its frame's position is fixed when the
/// frame opens — so the writer streams: memory holds one frame, not the block.
final class ChunkSegmentWriter {
    private let fileSystem: any FileSystem
    private let directory: String
    private let options: BlockWriterOptions
    private var segment: (number: Int, file: any WritableFile)?
    /// Raw bytes of the open frame and where it will be written.
    private var frame: [UInt8] = []
    private var frameOffset = 0

    init(fileSystem: any FileSystem, directory: String, options: BlockWriterOptions) {
        self.fileSystem = fileSystem
        self.directory = directory
        self.options = options
    }

    /// Appends a non-empty chunk of at most `ChunkSegmentFormat.maxFrameRawSize` bytes.
    func append(_ chunk: [UInt8]) throws(FileSystemError) -> BlockChunkRef {
        precondition(!chunk.isEmpty && chunk.count <= ChunkSegmentFormat.maxFrameRawSize, "BUG: chunk size \(chunk.count)")
        if !frame.isEmpty && frame.count + chunk.count > options.frameSize {
            try flushFrame()
        }
        if frame.isEmpty {
            try openFrame()
        }
        let ref = BlockChunkRef(
            segment: segment!.number, frameOffset: frameOffset, offsetInFrame: frame.count, length: chunk.count)
        frame.append(contentsOf: chunk)
        return ref
    }

    /// Writes the open frame and makes every segment durable. The caller then syncs the
    /// directory, which makes their names durable.
    func finish() throws(FileSystemError) {
        try flushFrame()
        try closeSegment()
    }

    /// Closes the open segment without writing or syncing anything: the block is given up.
    func abandon() {
        frame.removeAll()
        try? segment?.file.close()
        segment = nil
    }

    private func openFrame() throws(FileSystemError) {
        if let segment, segment.file.size < options.segmentSize {
            frameOffset = segment.file.size
            return
        }
        let number = (segment?.number ?? 0) + 1
        try closeSegment()
        let file = try fileSystem.create(BlockFileNames.join(directory, BlockFileNames.segment(number)))
        segment = (number, file)
        try file.write(ChunkSegmentFormat.header())
        frameOffset = file.size
    }

    private func flushFrame() throws(FileSystemError) {
        guard !frame.isEmpty, let segment else { return }
        var writer = ByteWriter(reservingCapacity: CompressedFrame.overhead + frame.count)
        CompressedFrame.encode(frame[...], level: options.compressionLevel, into: &writer)
        try segment.file.write(writer.bytes)
        frame.removeAll(keepingCapacity: true)
    }

    private func closeSegment() throws(FileSystemError) {
        guard let segment else { return }
        self.segment = nil
        try segment.file.sync()
        try segment.file.close()
    }
}
