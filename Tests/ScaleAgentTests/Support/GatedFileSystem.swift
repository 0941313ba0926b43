import MetricStore
import NIOConcurrencyHelpers

/// The real file system, except that writes or fsyncs of chosen files wait at a gate until
/// the test opens it: a disk that is slow exactly where a test wants it, without timing.
final class GatedFileSystem: FileSystem {
    enum Operation: Sendable { case write, sync }

    private let base = PosixFileSystem()
    private let gated: @Sendable (_ path: String, _ operation: Operation) -> Bool
    /// 1 once open.
    private let gate = ConditionLock(value: 0)
    private let state = NIOLockedValueBox<(open: Bool, waiting: [String])>((false, []))

    init(gated: @escaping @Sendable (_ path: String, _ operation: Operation) -> Bool) {
        self.gated = gated
    }

    /// Paths whose operation is waiting at the gate now.
    var waiting: [String] { state.withLockedValue { $0.waiting } }

    func open() {
        state.withLockedValue { $0.open = true }
        gate.lock()
        gate.unlock(withValue: 1)
    }

    func pass(_ path: String, _ operation: Operation) {
        guard gated(path, operation), !state.withLockedValue({ $0.open }) else { return }
        state.withLockedValue { $0.waiting.append(path) }
        gate.lock(whenValue: 1)
        gate.unlock()
        state.withLockedValue { $0.waiting.removeAll { $0 == path } }
    }

    func openForAppend(_ path: String) throws(FileSystemError) -> any WritableFile {
        GatedFile(try base.openForAppend(path), fileSystem: self)
    }
    func create(_ path: String) throws(FileSystemError) -> any WritableFile {
        GatedFile(try base.create(path), fileSystem: self)
    }
    func read(_ path: String) throws(FileSystemError) -> [UInt8] { try base.read(path) }
    func read(_ path: String, offset: Int, length: Int) throws(FileSystemError) -> [UInt8] {
        try base.read(path, offset: offset, length: length)
    }
    func size(of path: String) throws(FileSystemError) -> Int { try base.size(of: path) }
    func exists(_ path: String) -> Bool { base.exists(path) }
    func isDirectory(_ path: String) -> Bool { base.isDirectory(path) }
    func list(_ directory: String) throws(FileSystemError) -> [String] { try base.list(directory) }
    func createDirectory(_ path: String) throws(FileSystemError) { try base.createDirectory(path) }
    func rename(_ source: String, to destination: String) throws(FileSystemError) { try base.rename(source, to: destination) }
    func remove(_ path: String) throws(FileSystemError) { try base.remove(path) }
    func truncate(_ path: String, to length: Int) throws(FileSystemError) { try base.truncate(path, to: length) }
    func syncDirectory(_ path: String) throws(FileSystemError) { try base.syncDirectory(path) }
    func lock(_ path: String) throws(FileSystemError) -> any FileLock { try base.lock(path) }
    func capacity(of path: String) throws(FileSystemError) -> (available: Int, total: Int) { try base.capacity(of: path) }
}

private final class GatedFile: WritableFile {
    private let file: any WritableFile
    private let fileSystem: GatedFileSystem

    init(_ file: any WritableFile, fileSystem: GatedFileSystem) {
        self.file = file
        self.fileSystem = fileSystem
    }

    var path: String { file.path }
    var size: Int { file.size }
    func write(_ bytes: [UInt8]) throws(FileSystemError) {
        fileSystem.pass(path, .write)
        try file.write(bytes)
    }
    func sync() throws(FileSystemError) {
        fileSystem.pass(path, .sync)
        try file.sync()
    }
    func close() throws(FileSystemError) { try file.close() }
}
