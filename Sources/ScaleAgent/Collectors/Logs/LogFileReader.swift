#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Tails log files (PostgreSQL's on Debian: /var/log/postgresql/postgresql-15-main.log; nginx's
/// and HAProxy's access logs), following both kinds of rotation without losing or re-reading a
/// line. Lines are handed to the tally as bytes (`LogTally.recordFileLine`): an access log
/// parses them where they lie in the read buffer.
///
/// Each configured path (or glob match) is followed as a file identity (device, inode) and an
/// offset just after the last complete line read, with a fingerprint: the file's first 64 bytes
/// and the 64 bytes before the offset (log lines carry timestamps, so a file truncated and
/// written again differs in both). Every pass:
///
/// - **rename** (`mv x.log x.log.1`, then a new `x.log`): the path names another inode. The
///   old file is read to its end first (it is found again by inode among the path's siblings
///   after an agent restart), and once it has stayed at its end for a pass, the new file is read
///   from its start.
/// - **copy-truncate** (`cp x.log x.log.1; : > x.log`, Debian's PostgreSQL logrotate): same inode
///   but shorter than the offset, or the fingerprint no longer matches. The lines written between
///   the last pass and the copy are read from the copy — the sibling whose bytes before the offset
///   match the fingerprint — then the file from its start.
///
/// Lines that were never on disk in a readable place (a copy compressed at once, a file
/// rotated twice while the agent was down) cannot be recovered: counted as `lost` rotations.
/// A first run starts at each file's end; a file that appears later is read from its start.
final class LogFileReader: LogReader {
    let patterns: [String]
    /// Closed once a rotated-away file has been at its end for this many passes.
    let quietPassesBeforeSwitch = 2
    static let markerKey = "files"
    static let keyPrefix = "file:"
    private static let fingerprintLength = 64

    private var tracked: [String: TailedFile] = [:]
    private var firstRun = true
    private var chunk = [UInt8](repeating: 0, count: 64 * 1024)
    private let clock: @Sendable () -> Double

    /// One followed file: which inode, how far, and an open descriptor once located.
    struct Identity: Equatable {
        var device: UInt64
        var inode: UInt64
    }

    final class TailedFile {
        var identity: Identity
        var offset: Int
        var fingerprint: Fingerprint
        var fd: Int32 = -1
        /// Passes at the end of a file that is no longer the one at the path.
        var quietPasses = 0
        /// A copy-truncate copy being drained (its rotation is already counted).
        var isCopy = false

        init(identity: Identity, offset: Int, fingerprint: Fingerprint) {
            self.identity = identity
            self.offset = offset
            self.fingerprint = fingerprint
        }

        deinit { if fd >= 0 { closeFile(fd) } }
    }

    init(patterns: [String], clock: @escaping @Sendable () -> Double = { UnixTime.nowSeconds() }) {
        self.patterns = patterns
        self.clock = clock
    }

    var description: String { "log files \(patterns.joined(separator: ", "))" }

    func start(from saved: [String: String]) throws {
        close()
        firstRun = saved[Self.markerKey] == nil
        for (key, value) in saved where key.hasPrefix(Self.keyPrefix) {
            let path = String(key.dropFirst(Self.keyPrefix.count))
            if let file = Self.parsePosition(value) { tracked[path] = file }
        }
        for path in try expand() where tracked[path] == nil && firstRun {
            guard let (fd, identity, size) = openFile(path) else { continue }
            let file = TailedFile(identity: identity, offset: size, fingerprint: fingerprint(fd, at: size))
            file.fd = fd
            tracked[path] = file
        }
        firstRun = false
    }

    /// The first bytes of the file and the bytes just before the offset, up to 64 each.
    struct Fingerprint: Equatable {
        var head: [UInt8] = []
        var tail: [UInt8] = []
    }

    /// `DEVICE INODE OFFSET HEAD-HEX TAIL-HEX` (`-` for no bytes).
    static func parsePosition(_ text: String) -> TailedFile? {
        let parts = text.split(separator: " ", omittingEmptySubsequences: false)
        guard parts.count == 5, let device = UInt64(parts[0]), let inode = UInt64(parts[1]), let offset = Int(parts[2]),
            offset >= 0, let head = hexDecode(parts[3]), let tail = hexDecode(parts[4])
        else { return nil }
        return TailedFile(
            identity: Identity(device: device, inode: inode), offset: offset, fingerprint: Fingerprint(head: head, tail: tail))
    }

    func positions() -> [String: String] {
        var positions = [Self.markerKey: "1"]
        for (path, file) in tracked {
            positions[Self.keyPrefix + path] =
                "\(file.identity.device) \(file.identity.inode) \(file.offset) "
                + "\(Self.hexEncode(file.fingerprint.head)) \(Self.hexEncode(file.fingerprint.tail))"
        }
        return positions
    }

    func waitDescriptor() -> Int32? { nil }
    func acknowledgeWakeup() {}

    func close() {
        tracked.removeAll()
    }

    /// The configured paths, with glob patterns expanded (sorted; a pattern matching nothing
    /// gives nothing). Paths with a tab or newline cannot be saved and are refused.
    private func expand() throws -> [String] {
        var paths: [String] = []
        for pattern in patterns {
            if pattern.contains(where: { $0 == "*" || $0 == "?" || $0 == "[" }) {
                var result = glob_t()
                defer { globfree(&result) }
                if glob(pattern, 0, nil, &result) == 0 {
                    for index in 0..<Int(result.gl_pathc) {
                        if let path = result.gl_pathv[index] { paths.append(String(cString: path)) }
                    }
                }
            } else {
                paths.append(pattern)
            }
        }
        return paths.filter { !$0.contains("\t") && !$0.contains("\n") }
    }

    func read(limit: Int, into tally: inout LogTally) throws -> Int {
        var count = 0
        for path in try expand() where count < limit {
            count += try pass(path, limit: limit - count, into: &tally)
        }
        return count
    }

    /// Reads what is new for one path, following a rotation if there was one.
    private func pass(_ path: String, limit: Int, into tally: inout LogTally) throws -> Int {
        guard let file = tracked[path] else {
            // A file that appeared after the agent started (or after it was rotated away and
            // the old one finished): all of it is new.
            guard let (fd, identity, _) = openFile(path) else { return 0 }
            let fresh = TailedFile(identity: identity, offset: 0, fingerprint: Fingerprint())
            fresh.fd = fd
            tracked[path] = fresh
            return try readLines(fresh, path: path, limit: limit, into: &tally)
        }
        let current = statIdentity(path)
        if file.fd < 0 && !locate(file, path: path, current: current, tally: &tally) {
            tracked[path] = nil
            return 0
        }
        if current?.identity == file.identity {
            // Still the file at the path: was it truncated (copy-truncate) since the last pass?
            if let size = current?.size, size < file.offset || !fingerprintMatches(file.fd, file) {
                return try recoverFromCopy(of: file, path: path, limit: limit, into: &tally)
            }
            return try readLines(file, path: path, limit: limit, into: &tally)
        }
        // Renamed away (or a copy being drained): finish it, then move on to the path's new file.
        let count = try readLines(file, path: path, limit: limit, into: &tally)
        if count > 0 {
            file.quietPasses = 0
        } else if current != nil {
            file.quietPasses += 1
            if file.quietPasses >= quietPassesBeforeSwitch {
                if !file.isCopy { tally.countRotation(file: path, kind: .rename) }
                tracked[path] = nil
                return try pass(path, limit: limit, into: &tally)
            }
        }
        return count
    }

    /// Opens a saved position's file after a restart: the file at the path if it is the same
    /// inode, else the sibling that now holds that inode (renamed while the agent was down).
    /// False when it is gone.
    private func locate(_ file: TailedFile, path: String, current: (identity: Identity, size: Int)?, tally: inout LogTally) -> Bool {
        if current?.identity == file.identity, let (fd, identity, _) = openFile(path), identity == file.identity {
            file.fd = fd
            return true
        }
        for sibling in siblings(of: path) {
            if let (fd, identity, _) = openFile(sibling) {
                if identity == file.identity, fingerprintMatches(fd, file) {
                    file.fd = fd
                    return true
                }
                closeFile(fd)
            }
        }
        tally.countRotation(file: path, kind: .lost)
        return false
    }

    /// The file at `path` was truncated: read the rest of what was read so far from its copy,
    /// if one is found, then the file from its start.
    private func recoverFromCopy(of file: TailedFile, path: String, limit: Int, into tally: inout LogTally) throws -> Int {
        for sibling in siblings(of: path) {
            guard let (fd, identity, size) = openFile(sibling) else { continue }
            if identity != file.identity, size >= file.offset, fingerprintMatches(fd, file) {
                tally.countRotation(file: path, kind: .truncate)
                let copy = TailedFile(identity: identity, offset: file.offset, fingerprint: file.fingerprint)
                copy.fd = fd
                copy.isCopy = true
                tracked[path] = copy
                // The copy is no longer the file at the path: it is drained, then the path is
                // read from its start.
                return try pass(path, limit: limit, into: &tally)
            }
            closeFile(fd)
        }
        tally.countRotation(file: path, kind: .lost)
        file.offset = 0
        file.fingerprint = Fingerprint()
        return try readLines(file, path: path, limit: limit, into: &tally)
    }

    /// Complete lines from the file's offset, at most `limit`. A line longer than the buffer is
    /// handed over in buffer-sized pieces.
    private func readLines(_ file: TailedFile, path: String, limit: Int, into tally: inout LogTally) throws -> Int {
        var count = 0
        while count < limit {
            let got = chunk.withUnsafeMutableBytes { pread(file.fd, $0.baseAddress, $0.count, off_t(file.offset)) }
            if got < 0 {
                if errno == EINTR { continue }
                throw SystemCallError(call: "read", argument: path, errno: errno)
            }
            if got == 0 { break }
            let time = clock()
            var lineStart = 0
            var consumed = 0
            chunk.withUnsafeBytes { bytes in
                var index = 0
                while index < got, count < limit {
                    if bytes[index] == UInt8(ascii: "\n") {
                        tally.recordFileLine(UnsafeRawBufferPointer(rebasing: bytes[lineStart..<index]), path: path, time: time)
                        count += 1
                        lineStart = index + 1
                        consumed = lineStart
                    }
                    index += 1
                }
                if consumed == 0 && got == bytes.count {
                    tally.recordFileLine(UnsafeRawBufferPointer(rebasing: bytes[0..<got]), path: path, time: time)
                    count += 1
                    consumed = got
                }
            }
            if consumed == 0 { break }
            let previous = file.offset
            file.offset += consumed
            if consumed >= Self.fingerprintLength && previous >= Self.fingerprintLength {
                file.fingerprint.tail = Array(chunk[(consumed - Self.fingerprintLength)..<consumed])
            } else {
                file.fingerprint = fingerprint(file.fd, at: file.offset)
            }
            if got < chunk.count && consumed == got { break }
        }
        return count
    }

    private func fingerprint(_ fd: Int32, at offset: Int) -> Fingerprint {
        let length = min(offset, Self.fingerprintLength)
        return Fingerprint(head: bytes(fd, from: 0, count: length), tail: bytes(fd, from: offset - length, count: length))
    }

    private func bytes(_ fd: Int32, from offset: Int, count: Int) -> [UInt8] {
        guard count > 0 else { return [] }
        var bytes = [UInt8](repeating: 0, count: count)
        let got = bytes.withUnsafeMutableBytes { pread(fd, $0.baseAddress, count, off_t(offset)) }
        return got == count ? bytes : []
    }

    private func fingerprintMatches(_ fd: Int32, _ file: TailedFile) -> Bool {
        fingerprint(fd, at: file.offset) == file.fingerprint
    }

    private func openFile(_ path: String) -> (Int32, Identity, Int)? {
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY)
        guard fd >= 0 else { return nil }
        var info = stat()
        guard fstat(fd, &info) == 0, (info.st_mode & mode_t(S_IFMT)) == mode_t(S_IFREG) else {
            closeFile(fd)
            return nil
        }
        return (fd, Identity(device: UInt64(info.st_dev), inode: UInt64(info.st_ino)), Int(info.st_size))
    }

    private func statIdentity(_ path: String) -> (identity: Identity, size: Int)? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        return (Identity(device: UInt64(info.st_dev), inode: UInt64(info.st_ino)), Int(info.st_size))
    }

    /// Files beside `path` whose names start with its name (`x.log.1`, `x.log-20240501`),
    /// newest first; compressed ones cannot be read and are left out.
    private func siblings(of path: String) -> [String] {
        let slash = path.lastIndex(of: "/")
        let directory = slash.map { String(path[..<$0]) } ?? "."
        let name = slash.map { String(path[path.index(after: $0)...]) } ?? path
        guard let names = try? FileReading.directoryEntries(atPath: directory.isEmpty ? "/" : directory) else { return [] }
        let compressed = [".gz", ".xz", ".bz2", ".zst", ".lz4", ".Z"]
        var found: [(path: String, modified: Int)] = []
        for entry in names where entry != name && entry.hasPrefix(name) && !compressed.contains(where: { entry.hasSuffix($0) }) {
            let full = (directory.isEmpty ? "" : directory) + "/" + entry
            var info = stat()
            guard stat(full, &info) == 0 else { continue }
            found.append((full, Int(info.st_mtim.tv_sec)))
        }
        return found.sorted { $0.modified > $1.modified }.map(\.path)
    }

    static func hexEncode(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var text = [UInt8]()
        for byte in bytes {
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 15)])
        }
        return bytes.isEmpty ? "-" : String(decoding: text, as: UTF8.self)
    }

    static func hexDecode(_ text: Substring) -> [UInt8]? {
        if text == "-" { return [] }
        let bytes = Array(text.utf8)
        guard bytes.count % 2 == 0 else { return nil }
        var result: [UInt8] = []
        var index = 0
        while index < bytes.count {
            guard let high = hexValue(bytes[index]), let low = hexValue(bytes[index + 1]) else { return nil }
            result.append(high << 4 | low)
            index += 2
        }
        return result
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        default: nil
        }
    }
}

private func closeFile(_ fd: Int32) { close(fd) }
