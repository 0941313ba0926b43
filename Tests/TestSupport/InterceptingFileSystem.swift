import MetricStore

/// Another file system (the real one by default) with a hook before every file write and
/// fsync: the base of the test file systems that make a disk slow, stuck or failing exactly
/// where a test wants it. A hook that throws fails the operation.
open class InterceptingFileSystem: FileSystem, @unchecked Sendable {
    public let base: any FileSystem

    public init(base: any FileSystem = PosixFileSystem()) {
        self.base = base
    }

    open func willWrite(_ path: String) throws(FileSystemError) {}
    open func willSync(_ path: String) throws(FileSystemError) {}

    public func openForAppend(_ path: String) throws(FileSystemError) -> any WritableFile {
        InterceptedFile(try base.openForAppend(path), fileSystem: self)
    }
    public func create(_ path: String) throws(FileSystemError) -> any WritableFile {
        InterceptedFile(try base.create(path), fileSystem: self)
    }
    public func read(_ path: String) throws(FileSystemError) -> [UInt8] { try base.read(path) }
    public func read(_ path: String, offset: Int, length: Int) throws(FileSystemError) -> [UInt8] {
        try base.read(path, offset: offset, length: length)
    }
    public func size(of path: String) throws(FileSystemError) -> Int { try base.size(of: path) }
    public func exists(_ path: String) -> Bool { base.exists(path) }
    public func isDirectory(_ path: String) -> Bool { base.isDirectory(path) }
    public func list(_ directory: String) throws(FileSystemError) -> [String] { try base.list(directory) }
    public func createDirectory(_ path: String) throws(FileSystemError) { try base.createDirectory(path) }
    public func rename(_ source: String, to destination: String) throws(FileSystemError) {
        try base.rename(source, to: destination)
    }
    public func remove(_ path: String) throws(FileSystemError) { try base.remove(path) }
    public func truncate(_ path: String, to length: Int) throws(FileSystemError) { try base.truncate(path, to: length) }
    public func syncDirectory(_ path: String) throws(FileSystemError) { try base.syncDirectory(path) }
    public func lock(_ path: String) throws(FileSystemError) -> any FileLock { try base.lock(path) }
    public func capacity(of path: String) throws(FileSystemError) -> (available: Int, total: Int) {
        try base.capacity(of: path)
    }
}

private final class InterceptedFile: WritableFile, @unchecked Sendable {
    private let file: any WritableFile
    private let fileSystem: InterceptingFileSystem

    init(_ file: any WritableFile, fileSystem: InterceptingFileSystem) {
        self.file = file
        self.fileSystem = fileSystem
    }

    var path: String { file.path }
    var size: Int { file.size }
    func write(_ bytes: [UInt8]) throws(FileSystemError) {
        try fileSystem.willWrite(path)
        try file.write(bytes)
    }
    func sync() throws(FileSystemError) {
        try fileSystem.willSync(path)
        try file.sync()
    }
    func close() throws(FileSystemError) { try file.close() }
}
