#if canImport(Glibc)
import Glibc
#endif
import MetricStore

/// A handle on one inode of a `PowerLossFileSystem`: like a file descriptor, it keeps writing
/// to the same file after a rename or removal of its name.
final class PowerLossWritableFile: WritableFile {
    public let path: String
    private let fileSystem: PowerLossFileSystem
    private let node: Int
    private let closed = Locked(false)

    init(fileSystem: PowerLossFileSystem, node: Int, path: String) {
        self.fileSystem = fileSystem
        self.node = node
        self.path = path
    }

    public var size: Int { fileSystem.size(ofNode: node) }

    public func write(_ bytes: [UInt8]) throws(FileSystemError) {
        try checkOpen("write")
        try fileSystem.append(bytes, to: node, path: path)
    }

    public func sync() throws(FileSystemError) {
        try checkOpen("fsync")
        try fileSystem.sync(node: node, path: path)
    }

    public func close() throws(FileSystemError) {
        closed.withLock { $0 = true }
    }

    private func checkOpen(_ operation: String) throws(FileSystemError) {
        if closed.withLock({ $0 }) { throw FileSystemError(operation: operation, path: path, errno: EBADF) }
    }
}
