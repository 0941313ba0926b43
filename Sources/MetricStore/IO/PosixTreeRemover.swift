#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// `rm -r` for `PosixFileSystem.remove`: works relative to open directory descriptors
/// (openat, fstatat, unlinkat) and never follows a symbolic link, so a link inside a block
/// directory removes the link, not what it points to.
enum PosixTreeRemover {
    static func remove(_ path: String) throws(FileSystemError) {
        var info = stat()
        guard lstat(path, &info) == 0 else { throw FileSystemError(operation: "lstat", path: path, errno: errno) }
        if info.st_mode & S_IFMT == S_IFDIR {
            let fd = try Posix.open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC, operation: "open directory")
            try removeContents(of: fd, path: path)
            guard rmdir(path) == 0 else { throw FileSystemError(operation: "rmdir", path: path, errno: errno) }
        } else {
            guard unlink(path) == 0 else { throw FileSystemError(operation: "unlink", path: path, errno: errno) }
        }
    }

    /// Empties the directory open as `fd`, recursively; takes ownership of `fd`.
    private static func removeContents(of fd: Int32, path: String) throws(FileSystemError) {
        // fdopendir takes over the descriptor; closedir closes it.
        guard let stream = fdopendir(fd) else {
            let error = FileSystemError(operation: "fdopendir", path: path, errno: errno)
            _ = close(fd)
            throw error
        }
        defer { closedir(stream) }
        for name in Posix.entryNames(of: stream) {
            let child = path + "/" + name
            var info = stat()
            guard fstatat(fd, name, &info, AT_SYMLINK_NOFOLLOW) == 0 else {
                if errno == ENOENT { continue }  // removed by someone else meanwhile
                throw FileSystemError(operation: "fstatat", path: child, errno: errno)
            }
            if info.st_mode & S_IFMT == S_IFDIR {
                let childFD = openat(fd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
                guard childFD >= 0 else { throw FileSystemError(operation: "openat", path: child, errno: errno) }
                try removeContents(of: childFD, path: child)
                guard unlinkat(fd, name, AT_REMOVEDIR) == 0 else {
                    throw FileSystemError(operation: "unlinkat", path: child, errno: errno)
                }
            } else {
                guard unlinkat(fd, name, 0) == 0 || errno == ENOENT else {
                    throw FileSystemError(operation: "unlinkat", path: child, errno: errno)
                }
            }
        }
    }
}
