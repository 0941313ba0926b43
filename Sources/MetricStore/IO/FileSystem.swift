#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Every file operation the store performs goes through this protocol, so that tests can
/// simulate power loss — writes not yet followed by an fsync of the file (and, for created,
/// renamed or removed entries, of their directory) vanish at the crash point — and not only
/// `kill -9`, which leaves the page cache intact. The live implementation is
/// `PosixFileSystem`.
///
/// Paths are absolute. Errors are `FileSystemError` with the path and errno.
public protocol FileSystem: Sendable {
    /// Opens for appending, creating the file (mode 0644) if it does not exist.
    func openForAppend(_ path: String) throws(FileSystemError) -> any WritableFile
    /// Creates a new file, truncating any existing one.
    func create(_ path: String) throws(FileSystemError) -> any WritableFile
    /// The whole file.
    func read(_ path: String) throws(FileSystemError) -> [UInt8]
    /// `length` bytes at `offset`, fewer at the end of the file.
    func read(_ path: String, offset: Int, length: Int) throws(FileSystemError) -> [UInt8]
    func size(of path: String) throws(FileSystemError) -> Int
    func exists(_ path: String) -> Bool
    func isDirectory(_ path: String) -> Bool
    /// Entry names, sorted, without `.` and `..`.
    func list(_ directory: String) throws(FileSystemError) -> [String]
    /// Like `mkdir -p`.
    func createDirectory(_ path: String) throws(FileSystemError)
    /// Atomically replaces `destination` (a file or an empty directory) with `source`.
    func rename(_ source: String, to destination: String) throws(FileSystemError)
    /// Removes a file, or a directory with everything in it (never following a symbolic
    /// link); a missing path is an error (ENOENT).
    func remove(_ path: String) throws(FileSystemError)
    func truncate(_ path: String, to length: Int) throws(FileSystemError)
    /// Makes the directory's entries (creations, renames, removals) durable.
    func syncDirectory(_ path: String) throws(FileSystemError)
    /// Takes an exclusive advisory lock on `path` (created if missing) for as long as the
    /// returned lock lives; throws `FileSystemError` with errno EWOULDBLOCK if another
    /// process holds it.
    func lock(_ path: String) throws(FileSystemError) -> any FileLock
    /// Bytes free for unprivileged users and the total size of the file system holding `path`.
    func capacity(of path: String) throws(FileSystemError) -> (available: Int, total: Int)
}

public protocol WritableFile: AnyObject, Sendable {
    var path: String { get }
    /// Bytes written so far, including those before opening for append.
    var size: Int { get }
    func write(_ bytes: [UInt8]) throws(FileSystemError)
    /// Makes everything written so far durable.
    func sync() throws(FileSystemError)
    func close() throws(FileSystemError)
}

public protocol FileLock: AnyObject, Sendable {
    func release()
}

public struct FileSystemError: Error, Equatable, Sendable, CustomStringConvertible {
    public let operation: String
    public let path: String
    public let errno: Int32

    public init(operation: String, path: String, errno: Int32) {
        self.operation = operation
        self.path = path
        self.errno = errno
    }

    /// `open /data/wal/00000001: No such file or directory (errno 2)`: the errno number stays
    /// in the text because log readers search for it.
    public var description: String { "\(operation) \(path): \(Self.message(for: errno)) (errno \(errno))" }

    /// strerror_r, not strerror: the latter shares one static buffer between threads.
    static func message(for errno: Int32) -> String {
        var buffer = [CChar](repeating: 0, count: 128)
        guard strerror_r(errno, &buffer, buffer.count) == 0 else { return "unknown error" }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
