#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// The live `FileSystem`: plain POSIX calls, no Foundation, no buffering of its own.
///
/// Every call blocks the calling thread (fsync can take seconds on a busy disk), so the store
/// calls it from its own threads, never from the Swift concurrency pool. Calls interrupted by
/// a signal (EINTR) are retried; short reads and writes are continued.
public struct PosixFileSystem: FileSystem {
    /// Permissions of the files and directories it creates (before the umask): narrower for
    /// state that quotes what it read (log positions hold a fingerprint of a log line).
    public let fileMode: mode_t
    public let directoryMode: mode_t

    public init(fileMode: mode_t = 0o644, directoryMode: mode_t = 0o755) {
        self.fileMode = fileMode
        self.directoryMode = directoryMode
    }

    public func openForAppend(_ path: String) throws(FileSystemError) -> any WritableFile {
        let fd = try Posix.open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, mode: fileMode, operation: "open")
        var info = stat()
        guard fstat(fd, &info) == 0 else {
            let error = FileSystemError(operation: "fstat", path: path, errno: errno)
            _ = Glibc.close(fd)
            throw error
        }
        return PosixWritableFile(path: path, fd: fd, size: Int(info.st_size))
    }

    public func create(_ path: String) throws(FileSystemError) -> any WritableFile {
        let fd = try Posix.open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode: fileMode, operation: "create")
        return PosixWritableFile(path: path, fd: fd, size: 0)
    }

    public func read(_ path: String) throws(FileSystemError) -> [UInt8] {
        let fd = try Posix.open(path, O_RDONLY | O_CLOEXEC, operation: "open")
        defer { _ = Glibc.close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw FileSystemError(operation: "fstat", path: path, errno: errno) }
        // The size is a hint: a file still being appended to is read to its current end.
        var bytes: [UInt8] = []
        bytes.reserveCapacity(Int(info.st_size))
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let count = try Posix.readSome(fd, into: &chunk, path: path)
            if count == 0 { return bytes }
            bytes.append(contentsOf: chunk[0..<count])
        }
    }

    public func read(_ path: String, offset: Int, length: Int) throws(FileSystemError) -> [UInt8] {
        guard offset >= 0, length >= 0 else { throw FileSystemError(operation: "pread", path: path, errno: EINVAL) }
        let fd = try Posix.open(path, O_RDONLY | O_CLOEXEC, operation: "open")
        defer { _ = Glibc.close(fd) }
        var bytes = [UInt8](repeating: 0, count: length)
        let count = try Posix.readFully(fd, into: &bytes, at: offset, path: path)
        bytes.removeSubrange(count...)
        return bytes
    }

    public func size(of path: String) throws(FileSystemError) -> Int {
        Int(try Posix.status(path).st_size)
    }

    public func exists(_ path: String) -> Bool {
        (try? Posix.status(path)) != nil
    }

    public func isDirectory(_ path: String) -> Bool {
        guard let info = try? Posix.status(path) else { return false }
        return info.st_mode & S_IFMT == S_IFDIR
    }

    public func list(_ directory: String) throws(FileSystemError) -> [String] {
        guard let stream = opendir(directory) else {
            throw FileSystemError(operation: "opendir", path: directory, errno: errno)
        }
        defer { closedir(stream) }
        return Posix.entryNames(of: stream).sorted()
    }

    public func createDirectory(_ path: String) throws(FileSystemError) {
        var prefix = path.hasPrefix("/") ? "" : "."
        for component in path.split(separator: "/") {
            prefix += "/" + component
            if mkdir(prefix, directoryMode) == 0 { continue }
            let code = errno
            // EEXIST is success only if what exists is a directory.
            guard code == EEXIST, isDirectory(prefix) else {
                throw FileSystemError(operation: "mkdir", path: prefix, errno: code == EEXIST ? ENOTDIR : code)
            }
        }
    }

    public func rename(_ source: String, to destination: String) throws(FileSystemError) {
        guard Glibc.rename(source, destination) == 0 else {
            throw FileSystemError(operation: "rename to \(destination)", path: source, errno: errno)
        }
    }

    public func remove(_ path: String) throws(FileSystemError) {
        try PosixTreeRemover.remove(path)
    }

    public func truncate(_ path: String, to length: Int) throws(FileSystemError) {
        let fd = try Posix.open(path, O_WRONLY | O_CLOEXEC, operation: "open")
        defer { _ = Glibc.close(fd) }
        try Posix.retryingEINTR(operation: "ftruncate", path: path) { ftruncate(fd, off_t(length)) }
    }

    public func syncDirectory(_ path: String) throws(FileSystemError) {
        let fd = try Posix.open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC, operation: "open directory")
        defer { _ = Glibc.close(fd) }
        try Posix.retryingEINTR(operation: "fsync directory", path: path) { fsync(fd) }
    }

    public func lock(_ path: String) throws(FileSystemError) -> any FileLock {
        try PosixFileLock(path: path)
    }

    public func capacity(of path: String) throws(FileSystemError) -> (available: Int, total: Int) {
        var info = statvfs()
        guard statvfs(path, &info) == 0 else { throw FileSystemError(operation: "statvfs", path: path, errno: errno) }
        // f_bavail, not f_bfree: the blocks reserved for root are not ours to fill.
        return (Int(info.f_bavail) * Int(info.f_frsize), Int(info.f_blocks) * Int(info.f_frsize))
    }
}
