#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// A file open for writing through `PosixFileSystem`. Writes go straight to the kernel (the
/// page cache): nothing is buffered here, so a `kill -9` loses nothing written, and only
/// `sync()` protects against power loss.
final class PosixWritableFile: WritableFile {
    let path: String
    /// The descriptor (-1 once closed) and the bytes in the file, behind one lock so that a
    /// write and `size` never disagree.
    private let state: Locked<(fd: Int32, size: Int)>

    init(path: String, fd: Int32, size: Int) {
        self.path = path
        self.state = Locked((fd, size))
    }

    deinit {
        state.withLock { if $0.fd >= 0 { _ = Glibc.close($0.fd) } }
    }

    var size: Int { state.withLock { $0.size } }

    func write(_ bytes: [UInt8]) throws(FileSystemError) {
        try state.withLock { (file) throws(FileSystemError) in
            guard file.fd >= 0 else { throw FileSystemError(operation: "write", path: path, errno: EBADF) }
            do throws(FileSystemError) {
                try Posix.writeAll(file.fd, bytes, path: path)
                file.size += bytes.count
            } catch {
                // Part of `bytes` may have reached the file; the size is re-read so that it
                // stays true and the caller can truncate back.
                var info = stat()
                if fstat(file.fd, &info) == 0 { file.size = Int(info.st_size) }
                throw error
            }
        }
    }

    func sync() throws(FileSystemError) {
        try state.withLock { (file) throws(FileSystemError) in
            guard file.fd >= 0 else { throw FileSystemError(operation: "fsync", path: path, errno: EBADF) }
            let fd = file.fd
            try Posix.retryingEINTR(operation: "fsync", path: path) { fsync(fd) }
        }
    }

    func close() throws(FileSystemError) {
        try state.withLock { (file) throws(FileSystemError) in
            guard file.fd >= 0 else { return }
            let fd = file.fd
            file.fd = -1
            // close(2) must not be retried on EINTR on Linux: the descriptor is already gone.
            if Glibc.close(fd) != 0 && errno != EINTR {
                throw FileSystemError(operation: "close", path: path, errno: errno)
            }
        }
    }
}
