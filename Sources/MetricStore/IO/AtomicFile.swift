/// A small state file replaced whole, atomically and durably: the new contents are written to
/// `NAME.tmp`, fsynced, renamed over `NAME`, and the directory fsynced. After a crash, power
/// loss included, a reader finds the old contents or the new, never a torn mix; a `.tmp` left
/// by a crash is ignored and replaced by the next write.
///
/// Every state file the agent keeps beside its store (log positions; next the notification
/// outbox, silences, remote-write positions) goes through this one type on the `FileSystem`
/// protocol, so that the power-loss tests cover all of them.
public struct AtomicFile: Sendable {
    public let path: String
    private let fileSystem: any FileSystem

    public init(path: String, fileSystem: any FileSystem = PosixFileSystem()) {
        self.path = path
        self.fileSystem = fileSystem
    }

    var temporaryPath: String { path + ".tmp" }

    /// The contents; nil when the file does not exist (a first run).
    public func read() throws(FileSystemError) -> [UInt8]? {
        guard fileSystem.exists(path) else { return nil }
        return try fileSystem.read(path)
    }

    /// Replaces the contents; durable when it returns. Creates the missing parent
    /// directories, each made durable in its own parent.
    public func write(_ bytes: [UInt8]) throws(FileSystemError) {
        let directory = FilePath.parent(of: path)
        try fileSystem.createDirectoryDurably(directory)
        let file = try fileSystem.create(temporaryPath)
        do {
            try file.write(bytes)
            try file.sync()
        } catch {
            try? file.close()
            throw error
        }
        try file.close()
        try fileSystem.rename(temporaryPath, to: path)
        try fileSystem.syncDirectory(directory)
    }
}
