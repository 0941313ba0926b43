#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// An exclusive flock(2) on a file, held until `release()` or deinit.
///
/// flock locks belong to the open file description, not the process (unlike fcntl locks,
/// which a second open in the same process silently shares and a close of any descriptor
/// drops): two `lock` calls on the same path conflict even within one process, which is what
/// "one writer per data directory" needs, and what a test can check without forking.
final class PosixFileLock: FileLock {
    let path: String
    private let fd: Locked<Int32>

    init(path: String) throws(FileSystemError) {
        let fd = try Posix.open(path, O_RDWR | O_CREAT | O_CLOEXEC, operation: "open lock file")
        while flock(fd, LOCK_EX | LOCK_NB) != 0 {
            let code = errno
            if code == EINTR { continue }
            _ = close(fd)
            throw FileSystemError(operation: "flock", path: path, errno: code)
        }
        self.path = path
        self.fd = Locked(fd)
    }

    deinit { release() }

    func release() {
        fd.withLock { fd in
            guard fd >= 0 else { return }
            // Closing the only descriptor of the open file description drops the lock.
            _ = close(fd)
            fd = -1
        }
    }
}
