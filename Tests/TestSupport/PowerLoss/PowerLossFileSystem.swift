#if canImport(Glibc)
import Glibc
#endif
import MetricStore

/// An in-memory `FileSystem` that can lose power, as LevelDB's fault-injection environment
/// and SQLite's crash tests do: it remembers, per file, what an fsync made durable and, per
/// directory, which entries (creations, renames, removals) a `syncDirectory` made durable.
/// `crash(_:)` returns the file system a reboot would find.
///
/// With `crashAfter: n`, the first `n` mutating operations succeed and every later one fails
/// with EIO and changes nothing: the power went out there. A test runs its workload once per
/// `n` to visit every crash point (`mutatingOperations` says how many there were). Mutating
/// operations are create, openForAppend, write, sync, rename, remove, truncate,
/// createDirectory and syncDirectory; reads, close and locks are not counted.
public final class PowerLossFileSystem: FileSystem {
    private struct State {
        var tree: PowerLossTree
        var crashAfter: Int?
        var mutations = 0
        var diskSize: Int?
        var locks: Set<String> = []

        /// Counts one mutating operation, or refuses it after the crash point.
        mutating func mutate(_ operation: String, _ path: String) throws(FileSystemError) {
            if let crashAfter, mutations >= crashAfter {
                throw FileSystemError(operation: operation, path: path, errno: EIO)
            }
            mutations += 1
        }
    }

    private let state: Locked<State>

    public init(crashAfter operations: Int? = nil) {
        state = Locked(State(tree: PowerLossTree(), crashAfter: operations))
    }

    private init(tree: PowerLossTree) {
        state = Locked(State(tree: tree))
    }

    /// Restarts the count of mutating operations at 0 and sets a new crash point (nil: none),
    /// so that crash points index a workload, not its setup.
    public func startCounting(crashAfter operations: Int?) {
        state.withLock { state in
            state.mutations = 0
            state.crashAfter = operations
        }
    }

    /// Mutating operations performed so far (not counting refused ones).
    public var mutatingOperations: Int { state.withLock { $0.mutations } }

    /// Whether an operation has been refused because the crash point was passed.
    public var hasReachedCrashPoint: Bool {
        state.withLock { state in state.crashAfter.map { state.mutations >= $0 } ?? false }
    }

    /// The file system after power loss at this moment (or at the crash point, if passed):
    /// fresh, with everything in it durable and no crash point.
    public func crash(_ mode: CrashMode = .strict) -> PowerLossFileSystem {
        PowerLossFileSystem(tree: state.withLock { $0.tree.afterPowerLoss(mode) })
    }

    /// Makes everything durable, like a clean unmount: for setting up a starting state.
    public func syncEverything() {
        state.withLock { $0.tree.syncEverything() }
    }

    /// Makes writes fail with ENOSPC once files would hold more than `bytes` (nil: no limit);
    /// the failing write still writes what fits.
    public func setDiskSize(_ bytes: Int?) {
        state.withLock { $0.diskSize = bytes }
    }

    /// The current (not necessarily durable) content of a file, for assertions.
    public func contents(of path: String) -> [UInt8]? {
        state.withLock { state in (try? state.tree.file(path, "read")).map { state.tree.nodes[$0]!.data } }
    }

    // MARK: FileSystem

    public func openForAppend(_ path: String) throws(FileSystemError) -> any WritableFile {
        try state.withLock { (state) throws(FileSystemError) -> any WritableFile in
            try state.mutate("open", path)
            if let id = try? state.tree.lookup(path, "open") {
                guard !state.tree.nodes[id]!.isDirectory else { throw FileSystemError(operation: "open", path: path, errno: EISDIR) }
                return PowerLossWritableFile(fileSystem: self, node: id, path: path)
            }
            let (directory, name) = try state.tree.parent(of: path, "open")
            return PowerLossWritableFile(fileSystem: self, node: state.tree.makeNode(in: directory, name: name, isDirectory: false), path: path)
        }
    }

    public func create(_ path: String) throws(FileSystemError) -> any WritableFile {
        try state.withLock { (state) throws(FileSystemError) -> any WritableFile in
            try state.mutate("create", path)
            if let id = try? state.tree.lookup(path, "create") {
                guard !state.tree.nodes[id]!.isDirectory else { throw FileSystemError(operation: "create", path: path, errno: EISDIR) }
                state.tree.nodes[id]!.data = []
                return PowerLossWritableFile(fileSystem: self, node: id, path: path)
            }
            let (directory, name) = try state.tree.parent(of: path, "create")
            return PowerLossWritableFile(fileSystem: self, node: state.tree.makeNode(in: directory, name: name, isDirectory: false), path: path)
        }
    }

    public func read(_ path: String) throws(FileSystemError) -> [UInt8] {
        try state.withLock { (state) throws(FileSystemError) in state.tree.nodes[try state.tree.file(path, "read")]!.data }
    }

    public func read(_ path: String, offset: Int, length: Int) throws(FileSystemError) -> [UInt8] {
        let data = try read(path)
        guard offset >= 0, length >= 0 else { throw FileSystemError(operation: "pread", path: path, errno: EINVAL) }
        guard offset < data.count else { return [] }
        return Array(data[offset..<min(data.count, offset + length)])
    }

    public func size(of path: String) throws(FileSystemError) -> Int {
        try state.withLock { (state) throws(FileSystemError) in
            let node = state.tree.nodes[try state.tree.lookup(path, "stat")]!
            return node.isDirectory ? 4096 : node.data.count
        }
    }

    public func exists(_ path: String) -> Bool {
        state.withLock { (try? $0.tree.lookup(path, "stat")) != nil }
    }

    public func isDirectory(_ path: String) -> Bool {
        state.withLock { (try? $0.tree.directory(path, "stat")) != nil }
    }

    public func list(_ directory: String) throws(FileSystemError) -> [String] {
        try state.withLock { (state) throws(FileSystemError) in
            state.tree.nodes[try state.tree.directory(directory, "opendir")]!.entries.keys.sorted()
        }
    }

    public func createDirectory(_ path: String) throws(FileSystemError) {
        try state.withLock { (state) throws(FileSystemError) in
            try state.mutate("mkdir", path)
            var current = PowerLossTree.root
            for part in try PowerLossTree.components(path, "mkdir") {
                if let child = state.tree.nodes[current]!.entries[part] {
                    guard state.tree.nodes[child]!.isDirectory else { throw FileSystemError(operation: "mkdir", path: path, errno: ENOTDIR) }
                    current = child
                } else {
                    current = state.tree.makeNode(in: current, name: part, isDirectory: true)
                }
            }
        }
    }

    public func rename(_ source: String, to destination: String) throws(FileSystemError) {
        try state.withLock { (state) throws(FileSystemError) in
            try state.mutate("rename", source)
            let id = try state.tree.lookup(source, "rename")
            let (from, oldName) = try state.tree.parent(of: source, "rename")
            let (to, newName) = try state.tree.parent(of: destination, "rename")
            if let existing = state.tree.nodes[to]!.entries[newName], existing != id {
                let target = state.tree.nodes[existing]!
                let moving = state.tree.nodes[id]!
                if target.isDirectory != moving.isDirectory {
                    throw FileSystemError(operation: "rename", path: destination, errno: target.isDirectory ? EISDIR : ENOTDIR)
                }
                if target.isDirectory && !target.entries.isEmpty {
                    throw FileSystemError(operation: "rename", path: destination, errno: ENOTEMPTY)
                }
            }
            state.tree.nodes[from]!.entries[oldName] = nil
            state.tree.nodes[to]!.entries[newName] = id
        }
    }

    public func remove(_ path: String) throws(FileSystemError) {
        try state.withLock { (state) throws(FileSystemError) in
            try state.mutate("remove", path)
            let id = try state.tree.lookup(path, "remove")
            let (directory, name) = try state.tree.parent(of: path, "remove")
            state.tree.unlinkContents(of: id)
            state.tree.nodes[directory]!.entries[name] = nil
        }
    }

    public func truncate(_ path: String, to length: Int) throws(FileSystemError) {
        try state.withLock { (state) throws(FileSystemError) in
            try state.mutate("truncate", path)
            let id = try state.tree.file(path, "truncate")
            guard length >= 0 else { throw FileSystemError(operation: "truncate", path: path, errno: EINVAL) }
            var data = state.tree.nodes[id]!.data
            if length <= data.count { data.removeSubrange(length...) } else { data += [UInt8](repeating: 0, count: length - data.count) }
            state.tree.nodes[id]!.data = data
        }
    }

    public func syncDirectory(_ path: String) throws(FileSystemError) {
        try state.withLock { (state) throws(FileSystemError) in
            try state.mutate("fsync directory", path)
            let id = try state.tree.directory(path, "fsync directory")
            state.tree.nodes[id]!.durableEntries = state.tree.nodes[id]!.entries
        }
    }

    public func lock(_ path: String) throws(FileSystemError) -> any FileLock {
        try state.withLock { (state) throws(FileSystemError) -> any FileLock in
            if (try? state.tree.lookup(path, "open")) == nil {
                let (directory, name) = try state.tree.parent(of: path, "open")
                _ = state.tree.makeNode(in: directory, name: name, isDirectory: false)
            }
            guard state.locks.insert(path).inserted else { throw FileSystemError(operation: "flock", path: path, errno: EWOULDBLOCK) }
            return PowerLossFileLock(fileSystem: self, path: path)
        }
    }

    public func capacity(of path: String) throws(FileSystemError) -> (available: Int, total: Int) {
        try state.withLock { (state) throws(FileSystemError) in
            _ = try state.tree.lookup(path, "statvfs")
            let total = state.diskSize ?? 1 << 40
            return (max(0, total - state.tree.usedBytes()), total)
        }
    }

    // MARK: for PowerLossWritableFile and PowerLossFileLock

    func append(_ bytes: [UInt8], to node: Int, path: String) throws(FileSystemError) {
        try state.withLock { (state) throws(FileSystemError) in
            try state.mutate("write", path)
            if let diskSize = state.diskSize, state.tree.usedBytes() + bytes.count > diskSize {
                // What fits is written, as by write(2) returning short before ENOSPC: the
                // caller is left with a partial record to clean up.
                state.tree.nodes[node]!.data += bytes.prefix(max(0, diskSize - state.tree.usedBytes()))
                throw FileSystemError(operation: "write", path: path, errno: ENOSPC)
            }
            state.tree.nodes[node]!.data += bytes
        }
    }

    func sync(node: Int, path: String) throws(FileSystemError) {
        try state.withLock { (state) throws(FileSystemError) in
            try state.mutate("fsync", path)
            state.tree.nodes[node]!.durableData = state.tree.nodes[node]!.data
        }
    }

    func size(ofNode node: Int) -> Int {
        state.withLock { $0.tree.nodes[node]!.data.count }
    }

    func unlock(_ path: String) {
        _ = state.withLock { $0.locks.remove(path) }
    }
}
