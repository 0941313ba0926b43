#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Which cgroup hierarchies the host mounts under /sys/fs/cgroup, and where the files the
/// `cgroups` collector reads are. systemd knows three layouts:
/// - unified: cgroup v2 only, `/sys/fs/cgroup/cgroup.controllers` exists (Debian 11 and later);
/// - hybrid: the v1 controllers (`memory`, `cpu,cpuacct`, …) plus a v2 tree at
///   `/sys/fs/cgroup/unified` that carries no controller but does carry per-cgroup pressure
///   files (Debian 10, Ubuntu 20.04);
/// - legacy: v1 controllers only.
/// Controllers are found by probing their well-known directories, as systemd names them; a
/// controller mounted on its own (`cpu` and `cpuacct` apart) is found too.
struct CgroupLayout: Equatable, Sendable {
    enum Mode: String, Sendable {
        case unified, hybrid, legacy
    }

    var mode: Mode
    /// The v2 tree: all values on a unified host, pressure only on a hybrid one.
    var unified: String?
    /// v1 controller roots.
    var memory: String?
    var cpuacct: String?
    var cpu: String?
    /// v1's blkio controller root, for IO bytes and operations per service.
    var blkio: String?

    /// The hierarchies a unit's cgroup may be found in, each walked for services.
    var hierarchies: [String] { [unified, memory, cpuacct, cpu, blkio].compactMap { $0 } }

    /// nil when no cgroup hierarchy this collector reads is mounted (a container without
    /// /sys/fs/cgroup, a kernel without cgroups).
    static func detect(root: String) -> CgroupLayout? {
        if exists(root + "/cgroup.controllers") {
            return CgroupLayout(mode: .unified, unified: root)
        }
        let memory = firstExisting([root + "/memory"], file: "memory.usage_in_bytes")
        let cpuacct = firstExisting(
            [root + "/cpuacct", root + "/cpu,cpuacct", root + "/cpuacct,cpu"], file: "cpuacct.usage")
        let cpu = firstExisting([root + "/cpu", root + "/cpu,cpuacct", root + "/cpuacct,cpu"], file: "cpu.stat")
        let blkio = firstExisting([root + "/blkio"], file: "cgroup.procs")
        let unified = exists(root + "/unified/cgroup.controllers") ? root + "/unified" : nil
        guard memory != nil || cpuacct != nil || cpu != nil || blkio != nil else { return nil }
        return CgroupLayout(
            mode: unified == nil ? .legacy : .hybrid, unified: unified, memory: memory, cpuacct: cpuacct, cpu: cpu,
            blkio: blkio)
    }

    private static func firstExisting(_ directories: [String], file: String) -> String? {
        directories.first { exists($0 + "/" + file) }
    }

    static func exists(_ path: String) -> Bool { access(path, F_OK) == 0 }

    /// The services below the given slices, as paths relative to a hierarchy's root
    /// (`system.slice/system-postgresql.slice/postgresql@15-main.service`), in order,
    /// each found in any hierarchy once. Sub-slices are followed a few levels deep; a
    /// service's own sub-groups (delegation) are not walked.
    func discoverServices(slices: [String]) throws(FileReadError) -> [String] {
        var found: Set<String> = []
        for hierarchy in hierarchies {
            for slice in slices {
                try Self.walk(hierarchy: hierarchy, relative: slice, depth: 0, into: &found)
            }
        }
        return found.sorted()
    }

    static let maximumSliceDepth = 4

    private static func walk(hierarchy: String, relative: String, depth: Int, into found: inout Set<String>)
        throws(FileReadError)
    {
        guard let entries = try CgroupFiles.entries(hierarchy + "/" + relative) else { return }
        for entry in entries {
            // Control files are named `controller.name`: an entry ending in .service or .slice
            // is a child group, without a stat to check.
            if entry.hasSuffix(".service") {
                found.insert(relative + "/" + entry)
            } else if entry.hasSuffix(".slice") && depth < maximumSliceDepth {
                try walk(hierarchy: hierarchy, relative: relative + "/" + entry, depth: depth + 1, into: &found)
            }
        }
    }
}

/// Reading cgroup and /proc files where a group or process may vanish at any moment: a
/// removed cgroup's files read ENOENT or ENODEV, an exited process's ENOENT or ESRCH — all
/// mean "gone", which is not an error.
enum CgroupFiles {
    static func read(_ path: String, oneRecord: Bool = false) throws(FileReadError) -> String? {
        do {
            return try FileReading.string(atPath: path, oneRecord: oneRecord)
        } catch where error.isNotFound || error.errno == ENODEV || error.errno == ESRCH {
            return nil
        }
    }

    static func entries(_ directory: String) throws(FileReadError) -> [String]? {
        try listing(directory)?.map(\.name)
    }

    static func listing(_ directory: String) throws(FileReadError) -> [FileReading.DirectoryEntry]? {
        do {
            return try FileReading.directoryListing(atPath: directory)
        } catch where error.errno == ENODEV || error.errno == ESRCH {
            return nil
        }
    }
}

/// One cgroup's directory, opened once so that its control files are opened relative to it
/// (openat): a service has up to ten files read per collection, and resolving the whole path
/// of each again was most of the collector's kernel time.
final class CgroupDirectory {
    let path: String
    private let fd: Int32

    /// nil when the group does not exist (or was removed: ENODEV).
    init?(_ path: String) throws(FileReadError) {
        let fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if fd < 0 {
            let code = errno
            if code == ENOENT || code == ENOTDIR || code == ENODEV { return nil }
            throw FileReadError(path: path, errno: code)
        }
        self.path = path
        self.fd = fd
    }

    deinit { close(fd) }

    /// The file's path, for messages.
    func file(_ name: String) -> String { path + "/" + name }

    /// The whole file, or nil when it is absent or its group is gone (ENOENT, ENODEV), or when
    /// it refuses reads with EOPNOTSUPP (pressure files of a group with pressure accounting
    /// off: `cgroup.pressure` 0, or `psi=0`).
    func read(_ name: String) throws(FileReadError) -> String? {
        let file = openat(fd, name, O_RDONLY | O_CLOEXEC)
        if file < 0 {
            let code = errno
            if code == ENOENT || code == ENODEV || code == EOPNOTSUPP { return nil }
            throw FileReadError(path: self.file(name), errno: code)
        }
        defer { close(file) }
        do {
            return try FileReading.string(readingUntilEnd: file, path: self.file(name))
        } catch where error.errno == ENODEV || error.errno == EOPNOTSUPP {
            return nil
        }
    }
}
