#if canImport(Glibc)
import Glibc
#endif

/// An import's input in windows of whole lines, so that a file of any size is parsed in
/// bounded memory: a file is read into one reused buffer of about `windowBytes`, each window
/// ends after its last newline, and the partial line after it is carried to the front of the
/// buffer to begin the next window (the buffer grows only for a line longer than it). Bytes
/// already in memory are cut the same way, without copying, so tests can force many windows.
/// The last window has `isLast` set (it may be empty); `next()` returns nil after it.
final class OpenMetricsWindows {
    struct Window {
        /// Valid only until the next call to `next()`, which reuses the buffer: holding on to
        /// it would make that call copy the buffer.
        let bytes: [UInt8]
        let range: Range<Int>
        let isLast: Bool
    }

    /// Large enough that a window parses on every core with little per-window cost, small
    /// enough to keep the import's memory well under the size of big files.
    static let defaultWindowBytes = 64 << 20

    private let path: String
    /// The open file, or -1 when the input is `buffer` itself.
    private let descriptor: Int32
    private let windowBytes: Int
    private var buffer: [UInt8]
    /// `buffer[start..<filled]` is input not yet handed out.
    private var start = 0
    private var filled = 0
    private var finished = false

    init(path: String, windowBytes: Int = defaultWindowBytes) throws(FileSystemError) {
        precondition(windowBytes > 0)
        descriptor = try Posix.open(path, O_RDONLY | O_CLOEXEC, operation: "open")
        _ = posix_fadvise(descriptor, 0, 0, POSIX_FADV_SEQUENTIAL)
        self.path = path
        self.windowBytes = windowBytes
        buffer = [UInt8](repeating: 0, count: windowBytes)
    }

    init(bytes: [UInt8], windowBytes: Int = defaultWindowBytes) {
        precondition(windowBytes > 0)
        path = ""
        descriptor = -1
        self.windowBytes = windowBytes
        buffer = bytes
        filled = bytes.count
    }

    deinit {
        if descriptor >= 0 { _ = Glibc.close(descriptor) }
    }

    func next() throws(FileSystemError) -> Window? {
        guard !finished else { return nil }
        if descriptor < 0 {
            let end = min(start + windowBytes, filled)
            return handOut(end == filled ? end : lineEnd(searchingBack: end), atEnd: false)
        }
        // Carry the partial line to the front, then fill the rest of the buffer.
        if start > 0 {
            buffer.withUnsafeMutableBytes { raw in _ = memmove(raw.baseAddress!, raw.baseAddress! + start, filled - start) }
            filled -= start
            start = 0
        }
        while true {
            var atEnd = false
            while filled < buffer.count {
                let count = try readSome(into: filled)
                if count == 0 {
                    atEnd = true
                    break
                }
                filled += count
            }
            if atEnd { return handOut(filled, atEnd: true) }
            let end = lineEnd(searchingBack: filled)
            if end > 0 { return handOut(end, atEnd: false) }
            // One line longer than the whole buffer: make room for more of it.
            buffer.append(contentsOf: repeatElement(0, count: buffer.count))
        }
    }

    /// The window `start..<end`; the last one when it reaches the end of the input.
    private func handOut(_ end: Int, atEnd: Bool) -> Window {
        let isLast = atEnd || (descriptor < 0 && end == filled)
        let window = Window(bytes: buffer, range: start..<end, isLast: isLast)
        start = end
        finished = isLast
        return window
    }

    /// Just after the last newline in `buffer[start..<end]`, or `start` if there is none (for
    /// bytes in memory: the end of the first line after `end`, as a window holds whole lines).
    private func lineEnd(searchingBack end: Int) -> Int {
        // A backward scan (Glibc's module has no memrchr): lines are short, so it stops soon.
        let found = buffer.withUnsafeBufferPointer { bytes -> Int? in
            var index = end
            while index > start {
                if bytes[index - 1] == 0x0A { return index }
                index -= 1
            }
            return nil
        }
        if let found { return found }
        if descriptor >= 0 { return start }
        return OpenMetricsParser.lineBoundary(after: end, in: buffer, within: start..<filled)
    }

    private func readSome(into offset: Int) throws(FileSystemError) -> Int {
        while true {
            let count = buffer.withUnsafeMutableBytes { raw in Glibc.read(descriptor, raw.baseAddress! + offset, raw.count - offset) }
            if count >= 0 { return count }
            if errno != EINTR { throw FileSystemError(operation: "read", path: path, errno: errno) }
        }
    }
}
