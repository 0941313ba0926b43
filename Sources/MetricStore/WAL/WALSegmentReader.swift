#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Reads the framed records of one segment file in order, through a window of at most a few
/// MiB, so a 128 MiB segment never sits in memory whole. It checks framing and checksums; what
/// an incomplete record means (a torn tail, a record still being written, or damage) depends
/// on whether the segment is the last one, which only the caller knows.
struct WALSegmentReader {
    enum Step {
        case record(type: UInt8, payload: ArraySlice<UInt8>, offset: Int)
        /// Every byte read; `offset` is the file size.
        case end(offset: Int)
        /// The file ends inside the record at `offset`, or holds only zero bytes from there.
        case incomplete(offset: Int)
        case damaged(offset: Int, reason: WALCorruptionError.Reason)
    }

    static let windowSize = 1 << 20

    let fileSystem: any FileSystem
    let path: String
    /// Measured once: what is appended later is for the next reader (a tail reader makes a
    /// new one on every poll).
    let fileSize: Int
    private(set) var offset = 0
    private var window: [UInt8] = []
    private var windowStart = 0

    /// Reads from `offset`, which the caller knows to be a record boundary (0, or where an
    /// earlier reader stopped).
    init(fileSystem: any FileSystem, path: String, offset: Int = 0) throws(FileSystemError) {
        self.fileSystem = fileSystem
        self.path = path
        self.offset = offset
        fileSize = try fileSystem.size(of: path)
    }

    mutating func next() throws(FileSystemError) -> Step {
        let start = offset
        if start >= fileSize { return .end(offset: fileSize) }
        guard fileSize - start >= WALRecordFrame.headerSize else {
            return .incomplete(offset: start)
        }
        let header = try bytes(at: start, count: WALRecordFrame.headerSize)
        let type = header[header.startIndex]
        if type == WALRecordType.invalid.rawValue {
            // A zero-filled tail (file size made durable before the data) is a torn tail;
            // a zero type byte followed by anything else is damage.
            return try isZero(from: start) ? .incomplete(offset: start) : .damaged(offset: start, reason: .invalidType(type))
        }
        var cursor = ByteCursor(header)
        _ = cursor.byte("type")
        let length = Int(cursor.bigEndian32("length"))
        let stored = cursor.bigEndian32("crc32c")
        guard length <= WALRecordFrame.maxPayloadLength else {
            return .damaged(offset: start, reason: .impossibleLength(length))
        }
        guard fileSize - start - WALRecordFrame.headerSize >= length else { return .incomplete(offset: start) }
        let frame = try bytes(at: start, count: WALRecordFrame.headerSize + length)
        let payload = frame.dropFirst(WALRecordFrame.headerSize)
        let computed = WALRecordFrame.checksum(headerPrefix: frame.prefix(5), payload: payload)
        guard computed == stored else {
            return .damaged(offset: start, reason: .checksumMismatch(stored: stored, computed: computed))
        }
        offset = start + WALRecordFrame.headerSize + length
        return .record(type: type, payload: payload, offset: start)
    }

    /// `count` bytes at `position`, which the caller has checked lie inside the file.
    private mutating func bytes(at position: Int, count: Int) throws(FileSystemError) -> ArraySlice<UInt8> {
        if position < windowStart || position + count > windowStart + window.count {
            let length = min(max(count, Self.windowSize), fileSize - position)
            window = try fileSystem.read(path, offset: position, length: length)
            windowStart = position
            // A file shorter than its size said (shrunk by someone else) reads as short here;
            // the caller's bounds then fail safely instead of indexing past the window.
            if window.count < count { throw FileSystemError(operation: "read", path: path, errno: EIO) }
        }
        let low = position - windowStart
        return window[low..<low + count]
    }

    /// Whether every byte from `position` to the end of the file is zero.
    private mutating func isZero(from position: Int) throws(FileSystemError) -> Bool {
        var current = position
        while current < fileSize {
            let count = min(Self.windowSize, fileSize - current)
            guard try bytes(at: current, count: count).allSatisfy({ $0 == 0 }) else { return false }
            current += count
        }
        return true
    }
}
