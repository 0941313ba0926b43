#if canImport(Glibc)
import Glibc
#endif
import MetricStore

/// The model under `PowerLossFileSystem`: inodes with two versions of everything, what the
/// running process sees and what is on the platter.
///
/// - A file's `data` is what reads return; `durableData` is what its last fsync saw.
/// - A directory's `entries` are what `list` returns; `durableEntries` are what its last
///   `syncDirectory` saw. An entry names an inode, so a rename moves the inode (open handles
///   keep writing to it) and a crash restores the names the directory had when last synced.
struct PowerLossTree {
    struct Node {
        let isDirectory: Bool
        var data: [UInt8] = []
        var durableData: [UInt8] = []
        var entries: [String: Int] = [:]
        var durableEntries: [String: Int] = [:]
    }

    static let root = 0
    /// Every inode ever made; unlinked ones stay, because an unsynced directory may still
    /// name them after a crash.
    var nodes: [Int: Node] = [root: Node(isDirectory: true)]
    var nextID = 1

    // MARK: paths

    /// Absolute paths only; `.` is skipped, `..` is refused (the store never uses it).
    static func components(_ path: String, _ operation: String) throws(FileSystemError) -> [String] {
        guard path.hasPrefix("/") else { throw FileSystemError(operation: operation, path: path, errno: EINVAL) }
        let parts = path.split(separator: "/").map(String.init).filter { $0 != "." }
        guard !parts.contains("..") else { throw FileSystemError(operation: operation, path: path, errno: EINVAL) }
        return parts
    }

    func lookup(_ path: String, _ operation: String) throws(FileSystemError) -> Int {
        var current = Self.root
        for part in try Self.components(path, operation) {
            guard let node = nodes[current], node.isDirectory else {
                throw FileSystemError(operation: operation, path: path, errno: ENOTDIR)
            }
            guard let child = node.entries[part] else { throw FileSystemError(operation: operation, path: path, errno: ENOENT) }
            current = child
        }
        return current
    }

    /// The directory that holds (or would hold) `path`, and the last component.
    func parent(of path: String, _ operation: String) throws(FileSystemError) -> (directory: Int, name: String) {
        var parts = try Self.components(path, operation)
        guard let name = parts.popLast() else { throw FileSystemError(operation: operation, path: path, errno: EBUSY) }
        let directory: Int
        do throws(FileSystemError) {
            directory = try lookup("/" + parts.joined(separator: "/"), operation)
        } catch {
            // Errors name the path asked for, as the kernel's do.
            throw FileSystemError(operation: operation, path: path, errno: error.errno)
        }
        guard nodes[directory]!.isDirectory else { throw FileSystemError(operation: operation, path: path, errno: ENOTDIR) }
        return (directory, name)
    }

    func file(_ path: String, _ operation: String) throws(FileSystemError) -> Int {
        let id = try lookup(path, operation)
        guard !nodes[id]!.isDirectory else { throw FileSystemError(operation: operation, path: path, errno: EISDIR) }
        return id
    }

    func directory(_ path: String, _ operation: String) throws(FileSystemError) -> Int {
        let id = try lookup(path, operation)
        guard nodes[id]!.isDirectory else { throw FileSystemError(operation: operation, path: path, errno: ENOTDIR) }
        return id
    }

    // MARK: changes

    /// Links a new inode under `name`; neither the entry nor any data is durable yet.
    mutating func makeNode(in directory: Int, name: String, isDirectory: Bool) -> Int {
        let id = nextID
        nextID += 1
        nodes[id] = Node(isDirectory: isDirectory)
        nodes[directory]!.entries[name] = id
        return id
    }

    /// Unlinks every entry below `id` (for a recursive remove): the directories' synced
    /// entries stay, so an unsynced removal comes back after a crash.
    mutating func unlinkContents(of id: Int) {
        guard nodes[id]!.isDirectory else { return }
        for child in nodes[id]!.entries.values { unlinkContents(of: child) }
        nodes[id]!.entries = [:]
    }

    /// What a clean shutdown leaves: everything durable.
    mutating func syncEverything() {
        for id in nodes.keys {
            nodes[id]!.durableData = nodes[id]!.data
            nodes[id]!.durableEntries = nodes[id]!.entries
        }
    }

    /// Bytes of the files reachable from the root.
    func usedBytes() -> Int {
        var total = 0
        var stack = [Self.root]
        var seen: Set<Int> = []
        while let id = stack.popLast() {
            guard seen.insert(id).inserted, let node = nodes[id] else { continue }
            total += node.data.count
            stack += node.entries.values
        }
        return total
    }

    // MARK: power loss

    /// The tree a reboot finds: walks the directories from the root by their durable entries
    /// (or current ones, if unsynced entry changes are kept) and gives each file its durable
    /// data (or that plus part of its unsynced appends). Everything in the result is durable.
    func afterPowerLoss(_ mode: PowerLossFileSystem.CrashMode) -> PowerLossTree {
        var result = PowerLossTree()
        result.nextID = nextID
        var stack = [Self.root]
        var visited: Set<Int> = []
        while let id = stack.popLast() {
            guard visited.insert(id).inserted, let node = nodes[id] else { continue }
            var survivor = Node(isDirectory: node.isDirectory)
            if node.isDirectory {
                survivor.entries = mode.entries == .kept ? node.entries : node.durableEntries
                stack += survivor.entries.values
            } else {
                survivor.data = Self.survivingData(of: node, mode.data)
            }
            survivor.durableData = survivor.data
            survivor.durableEntries = survivor.entries
            result.nodes[id] = survivor
        }
        return result
    }

    private static func survivingData(of node: Node, _ mode: PowerLossFileSystem.CrashMode.Data) -> [UInt8] {
        switch mode {
        case .dropped:
            return node.durableData
        case .tornInHalf:
            // Only appends can be torn like this; after a truncate the durable bytes are all
            // that is known to be on disk.
            guard node.data.count > node.durableData.count, node.data.starts(with: node.durableData) else {
                return node.durableData
            }
            let unsynced = node.data.count - node.durableData.count
            return Array(node.data.prefix(node.durableData.count + unsynced / 2))
        }
    }
}
