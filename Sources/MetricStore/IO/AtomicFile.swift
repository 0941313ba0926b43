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
        let directory = Self.parent(of: path)
        // Each directory created on the way must be durable in its parent, or a power loss
        // can take the file with it.
        var missing: [String] = []
        var ancestor = directory
        while !fileSystem.isDirectory(ancestor), ancestor != "/", ancestor != "." {
            missing.append(ancestor)
            ancestor = Self.parent(of: ancestor)
        }
        if !missing.isEmpty {
            try fileSystem.createDirectory(directory)
            for created in missing.reversed() { try fileSystem.syncDirectory(Self.parent(of: created)) }
        }
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

    static func parent(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }
}
