#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A file that could not be opened or read, with the path and the system's reason.
public struct FileReadError: Error, Equatable, CustomStringConvertible {
    public let path: String
    public let errno: Int32

    public var description: String { "\(path): \(String(cString: strerror(errno)))" }

    /// Whether the file simply does not exist, which collectors treat as "feature absent".
    public var isNotFound: Bool { errno == ENOENT || errno == ENOTDIR }
}

/// Reads whole small files (procfs, sysfs) with plain system calls: procfs files report size
/// 0, so read until EOF; Foundation is avoided on this hot path for memory and speed.
public enum FileReading {
    /// `maximumBytes` bounds what a file named by a user may make the agent hold: `/dev/zero`
    /// as a config file must be an error (EFBIG), not memory growing until the process dies.
    /// procfs, sysfs and cgroupfs files are read through descriptors kept open between calls
    /// (`PseudoFileCache`).
    ///
    /// `oneRecord`: the kernel generates the file as one record (procfs files made with
    /// `single_open`, such as /proc/PID/stat), so a read shorter than a page is all of it, as
    /// for every sysfs file.
    ///
    /// `longestRecord`: no record (line) of this procfs file is longer. The kernel hands out a
    /// record file a page buffer at a time, stopping only at a record that does not fit, so a
    /// read shorter than a page by more than the longest record is the end. The read that
    /// would see end-of-file is not free: /proc/net/udp finds its place again by walking the
    /// whole UDP hash table.
    public static func string(
        atPath path: String, maximumBytes: Int = .max, oneRecord: Bool = false, longestRecord: Int? = nil
    ) throws(FileReadError) -> String {
        try PseudoFileCache.shared.string(
            atPath: path, maximumBytes: maximumBytes, endingBelow: oneRecord ? smallestPage : longestRecord.map { smallestPage - $0 } ?? 0)
    }

    /// The file read through a descriptor of its own, opened and closed here: for a check that
    /// a kept descriptor still names what the path names.
    public static func freshString(atPath path: String, maximumBytes: Int = .max) throws(FileReadError) -> String {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        if fd < 0 { throw FileReadError(path: path, errno: errno) }
        defer { close(fd) }
        return try string(readingUntilEnd: fd, path: path, maximumBytes: maximumBytes)
    }

    /// The rest of an open descriptor as text, read until EOF (procfs and sysfs sizes are
    /// meaningless); `path` names it in errors. The caller closes `fd`.
    ///
    /// `endingBelow`: a read shorter than this many bytes is the file's end, without a further
    /// read to see end-of-file (that read is a system call for each of hundreds of files per
    /// collection): `smallestPage` for a file generated whole and handed out a page at most per
    /// read (a sysfs attribute), less for a file of records (`string(atPath:longestRecord:)`),
    /// 0 where nothing is known.
    static func string(
        readingUntilEnd fd: Int32, path: String, maximumBytes: Int = .max, endingBelow: Int = 0
    ) throws(FileReadError) -> String {
        try string(fd, path: path, maximumBytes: maximumBytes, fromStart: false, endingBelow: endingBelow)
    }

    /// The whole contents of an open descriptor, read from offset 0 whatever its position
    /// (pread): a procfs or sysfs file read this way is generated anew. `endingBelow` as in
    /// `string(readingUntilEnd:)`.
    static func string(
        readingFromStart fd: Int32, path: String, maximumBytes: Int = .max, endingBelow: Int = 0
    ) throws(FileReadError) -> String {
        try string(fd, path: path, maximumBytes: maximumBytes, fromStart: true, endingBelow: endingBelow)
    }

    /// No larger than any page size.
    static let smallestPage = 4096

    private static func string(
        _ fd: Int32, path: String, maximumBytes: Int, fromStart: Bool, endingBelow: Int
    ) throws(FileReadError) -> String {
        // Most procfs files fit one read into a stack buffer; no zero-filled heap chunk per file.
        var bytes: [UInt8] = []
        var failure: Int32 = 0
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 16 * 1024) { chunk in
            while true {
                let count =
                    fromStart
                    ? pread(fd, chunk.baseAddress, chunk.count, off_t(bytes.count))
                    : read(fd, chunk.baseAddress, chunk.count)
                if count < 0 {
                    if errno == EINTR { continue }
                    failure = errno
                    return
                }
                if count == 0 { return }
                if count > maximumBytes - bytes.count {
                    failure = EFBIG
                    return
                }
                bytes.append(contentsOf: UnsafeBufferPointer(rebasing: chunk[0..<count]))
                if count < endingBelow { return }
            }
        }
        if failure != 0 { throw FileReadError(path: path, errno: failure) }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// A whole regular file's bytes, read in one pass sized by fstat (imports are hundreds of
    /// megabytes: no growing buffer).
    public static func bytes(atPath path: String) throws(FileReadError) -> [UInt8] {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        if fd < 0 { throw FileReadError(path: path, errno: errno) }
        defer { close(fd) }
        var info = stat()
        if fstat(fd, &info) != 0 { throw FileReadError(path: path, errno: errno) }
        let size = Int(info.st_size)
        var failure: Int32 = 0
        let bytes = [UInt8](unsafeUninitializedCapacity: size) { buffer, initialized in
            var offset = 0
            while offset < size {
                let count = read(fd, buffer.baseAddress! + offset, size - offset)
                if count < 0 {
                    if errno == EINTR { continue }
                    failure = errno
                    break
                }
                if count == 0 { break }
                offset += count
            }
            initialized = offset
        }
        if failure != 0 { throw FileReadError(path: path, errno: failure) }
        return bytes
    }

    /// The file's contents, or nil when it does not exist.
    public static func optionalString(atPath path: String, longestRecord: Int? = nil) throws(FileReadError) -> String? {
        do {
            return try string(atPath: path, longestRecord: longestRecord)
        } catch where error.isNotFound {
            return nil
        }
    }

    /// Names in a directory, without `.` and `..`, sorted unless `sorted` is false (walking
    /// /proc needs no order); nil when it does not exist.
    public static func directoryEntries(atPath path: String, sorted: Bool = true) throws(FileReadError) -> [String]? {
        guard let names = try directoryListing(atPath: path)?.map(\.name) else { return nil }
        return sorted ? names.sorted() : names
    }

    public struct DirectoryEntry: Equatable, Sendable {
        public var name: String
        /// The entry's inode number as the directory reports it (`d_ino`). In /proc a process's
        /// directory keeps its number for the process's life, and a new process under a
        /// reused pid gets another.
        public var inode: UInt64
    }

    /// The entries of a directory in the order it lists them, without `.` and `..`; nil
    /// when it does not exist.
    public static func directoryListing(atPath path: String) throws(FileReadError) -> [DirectoryEntry]? {
        guard let dir = opendir(path) else {
            let code = errno
            if code == ENOENT || code == ENOTDIR { return nil }
            throw FileReadError(path: path, errno: code)
        }
        defer { closedir(dir) }
        var entries: [DirectoryEntry] = []
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(cString: raw.bindMemory(to: CChar.self).baseAddress!)
            }
            if name != "." && name != ".." { entries.append(DirectoryEntry(name: name, inode: UInt64(entry.pointee.d_ino))) }
        }
        return entries
    }
}
