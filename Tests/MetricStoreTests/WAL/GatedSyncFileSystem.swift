#if canImport(Glibc)
import Glibc
#endif
import Dispatch
import Synchronization
@testable import MetricStore

/// A file system whose next file fsync can be held at a gate: it blocks until the test opens
/// the gate, as a slow disk would, and can then fail with EIO. Everything else goes straight
/// to the wrapped file system.
final class GatedSyncFileSystem: FileSystem {
    let base: any FileSystem
    private let gate = Mutex(Gate())
    private let entered = DispatchSemaphore(value: 0)
    private let opened = DispatchSemaphore(value: 0)

    private struct Gate {
        var armed = false
        var fail = false
    }

    init(_ base: any FileSystem) {
        self.base = base
    }

    /// Holds the next file fsync at the gate; with `failing`, it fails once let through.
    func arm(failing: Bool = false) {
        gate.withLock { $0 = Gate(armed: true, fail: failing) }
    }

    /// Whether an fsync reached the gate within `seconds`.
    func waitUntilHeld(seconds: Double = 10) -> Bool {
        entered.wait(timeout: .now() + seconds) == .success
    }

    func open() {
        opened.signal()
    }

    fileprivate func syncFile(_ file: any WritableFile) throws(FileSystemError) {
        let held = gate.withLock { gate -> Gate? in
            guard gate.armed else { return nil }
            let taken = gate
            gate = Gate()
            return taken
        }
        if let held {
            entered.signal()
            opened.wait()
            if held.fail { throw FileSystemError(operation: "fsync", path: file.path, errno: EIO) }
        }
        try file.sync()
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
    let file: any WritableFile
    let fileSystem: GatedSyncFileSystem

    init(_ file: any WritableFile, fileSystem: GatedSyncFileSystem) {
        self.file = file
        self.fileSystem = fileSystem
    }

    var path: String { file.path }
    var size: Int { file.size }
    func write(_ bytes: [UInt8]) throws(FileSystemError) { try file.write(bytes) }
    func sync() throws(FileSystemError) { try fileSystem.syncFile(file) }
    func close() throws(FileSystemError) { try file.close() }
}
