/// Reads one frame of a chunk segment (ChunkSegmentFormat): bounds-checks its header against
/// the file, verifies its CRC-32C and decompresses it within the format's size limit. Every
/// failure is a corruption error naming the segment and the offset of the bad field.
struct ChunkFrameReader {
    let fileSystem: any FileSystem
    let block: String

    /// Checks the header of segment `number`, whose size is `size`.
    func checkHeader(segment number: Int, size: Int) throws(BlockReadError) {
        let file = BlockFileNames.segmentPath(number)
        guard size >= ChunkSegmentFormat.headerSize else {
            throw corrupt(file, at: size, "a segment header of \(ChunkSegmentFormat.headerSize) bytes", found: "\(size) bytes")
        }
        var header = ByteCursor(try read(file, offset: 0, length: ChunkSegmentFormat.headerSize))
        let magic = header.bigEndian32("magic")
        let version = header.byte("version")
        let padding = header.bytes(count: 3, "padding")
        if let error = header.error { throw corrupt(file, at: error.offset, error.expected, found: error.found) }
        guard magic == ChunkSegmentFormat.magic else {
            throw corrupt(file, at: 0, "segment magic 0x\(String(ChunkSegmentFormat.magic, radix: 16))", found: "0x\(String(magic, radix: 16))")
        }
        guard version == ChunkSegmentFormat.version else {
            throw .unsupportedVersion(block: block, file: file, version: Int(version))
        }
        // Zero padding is checked so that no byte of a segment goes unverified.
        guard padding.allSatisfy({ $0 == 0 }) else {
            throw corrupt(file, at: 5, "zero padding", found: padding.map { String($0) }.joined(separator: " "))
        }
    }

    /// The decompressed bytes of the frame at `offset` of segment `number` (of `size` bytes).
    func frame(segment number: Int, size: Int, offset: Int) throws(BlockReadError) -> [UInt8] {
        let file = BlockFileNames.segmentPath(number)
        guard offset >= ChunkSegmentFormat.headerSize, offset <= size - CompressedFrame.overhead else {
            throw corrupt(file, at: offset, "a frame within the segment's \(size) bytes", found: "a frame offset outside it")
        }
        let headerBytes = try read(file, offset: offset, length: CompressedFrame.headerSize)
        let header = CompressedFrame.header(headerBytes[...])
        let payloadStart = offset + CompressedFrame.headerSize
        let room = size - payloadStart - CompressedFrame.checksumSize
        guard header.storedLength <= room else {
            throw corrupt(file, at: offset + 4, "a stored length of at most \(room) (the rest of the segment)", found: "\(header.storedLength)")
        }
        let body = try read(file, offset: payloadStart, length: header.storedLength + CompressedFrame.checksumSize)
        do {
            return try CompressedFrame.decode(
                header: header, headerBytes: headerBytes[...], payload: body[..<header.storedLength],
                checksum: body[header.storedLength...], maxRawLength: ChunkSegmentFormat.maxFrameRawSize)
        } catch {
            throw corrupt(file, at: offset + error.offset, error.expected, found: error.found)
        }
    }

    /// Exactly `length` bytes, or a corruption error: the size was checked on open, so a short
    /// read means the file was cut since.
    private func read(_ file: String, offset: Int, length: Int) throws(BlockReadError) -> [UInt8] {
        let bytes = try BlockReadError.io { () throws(FileSystemError) in
            try fileSystem.read(BlockFileNames.join(block, file), offset: offset, length: length)
        }
        guard bytes.count == length else {
            throw corrupt(file, at: offset + bytes.count, "\(length) bytes at offset \(offset)", found: "end of file")
        }
        return bytes
    }

    private func corrupt(_ file: String, at offset: Int, _ expected: String, found: String) -> BlockReadError {
        .corrupt(BlockCorruptionError(block: block, file: file, offset: offset, expected: expected, found: found))
    }
}
