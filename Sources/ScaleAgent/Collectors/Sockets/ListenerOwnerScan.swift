#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Finds the processes that hold given socket inodes by reading every process's descriptor
/// links (`/proc/PID/fd/N` → `socket:[inode]`), as `ss -p` does: sock_diag names a socket's
/// inode, never its process.
///
/// Its cost is one readlink per open descriptor on the host, so it runs only for listeners
/// whose owner is not known yet (`ListenerOwners` caches by inode), stops as soon as all are
/// found, and reads at most `maximumLinks` links. Processes come and go while it walks: one
/// that exits, one whose descriptors the agent may not read (another user's, without
/// CAP_SYS_PTRACE) or whose files say something odd is skipped, never an error of the scan.
struct ListenerOwnerScan {
    let paths: HostPaths
    let maximumLinks: Int

    static let defaultMaximumLinks = 1_000_000

    struct Result: Equatable {
        var found: [UInt32: ListenerOwner] = [:]
        var linksRead = 0
        /// Processes whose descriptors could not be listed (EACCES, EPERM).
        var denied = 0
        /// False when the walk stopped at `maximumLinks`.
        var complete = true
    }

    init(paths: HostPaths, maximumLinks: Int = ListenerOwnerScan.defaultMaximumLinks) {
        self.paths = paths
        self.maximumLinks = maximumLinks
    }

    /// Only /proc itself failing to list is an error.
    func run(wanted: Set<UInt32>) throws(FileReadError) -> Result {
        var result = Result()
        guard !wanted.isEmpty else { return result }
        guard let entries = try FileReading.directoryEntries(atPath: paths.procfs, sorted: false) else {
            throw FileReadError(path: paths.procfs, errno: ENOENT)
        }
        // Lowest pid first: a server's parent (nginx's master) holds its listeners before the
        // workers it forked, and is the process a reader expects to see named.
        let pids = entries.compactMap(Self.pid).sorted()
        for pid in pids {
            let inodes = scanDescriptors(of: pid, wanted: wanted, found: result.found, into: &result)
            for inode in inodes where result.found[inode] == nil {
                if let owner = owner(pid) { result.found[inode] = owner }
            }
            if result.found.count == wanted.count { return result }
            if result.linksRead >= maximumLinks {
                result.complete = false
                return result
            }
        }
        return result
    }

    /// The wanted, not yet found inodes among the process's descriptors.
    private func scanDescriptors(
        of pid: Int, wanted: Set<UInt32>, found: [UInt32: ListenerOwner], into result: inout Result
    ) -> [UInt32] {
        let directory = open(paths.proc("\(pid)/fd"), O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if directory < 0 {
            if errno == EACCES || errno == EPERM { result.denied += 1 }
            return []
        }
        // fdopendir owns the descriptor from here; closedir closes it.
        guard let stream = fdopendir(directory) else {
            close(directory)
            return []
        }
        defer { closedir(stream) }
        var matches: [UInt32] = []
        // "socket:[4294967295]" is 19 bytes: a longer link is not a socket's.
        var buffer = [UInt8](repeating: 0, count: 32)
        while result.linksRead < maximumLinks, let entry = readdir(stream) {
            guard entry.pointee.d_type == UInt8(DT_LNK) || entry.pointee.d_type == UInt8(DT_UNKNOWN) else { continue }
            let length = withUnsafeBytes(of: entry.pointee.d_name) { name in
                buffer.withUnsafeMutableBytes { target in
                    readlinkat(directory, name.baseAddress!.assumingMemoryBound(to: CChar.self), target.baseAddress!, target.count)
                }
            }
            result.linksRead += 1
            // Closed since listed (ENOENT), or too long to be a socket: not a match.
            guard length > 0, length < buffer.count else { continue }
            guard case .socket(let inode)? = try? FDLink.parse(buffer[0..<length]) else { continue }
            if wanted.contains(inode), found[inode] == nil, !matches.contains(inode) { matches.append(inode) }
        }
        return matches
    }

    /// The process's name, start time and unit; nil when it exited meanwhile or its files do
    /// not parse (the next process holding the socket may still name it).
    func owner(_ pid: Int) -> ListenerOwner? {
        let statFile = paths.proc("\(pid)/stat")
        let cgroupFile = paths.proc("\(pid)/cgroup")
        guard let statText = try? CgroupFiles.read(statFile),
            let stat = try? CgroupParsing.processStat(statText, file: statFile)
        else { return nil }
        var owner = ListenerOwner(pid: pid, process: stat.comm, startTicks: stat.startTicks)
        // No cgroup file (a kernel without cgroups) or an odd one: the process without a unit.
        if let text = try? CgroupFiles.read(cgroupFile),
            let found = try? CgroupParsing.unitCgroup(fromProcessCgroup: text, file: cgroupFile)
        {
            owner.unit = found.unit
            owner.unitCgroup = .init(hierarchy: found.hierarchy, path: found.path)
        }
        return owner
    }

    /// Whether the owner still runs: its unit still has a process (cgroup v2's
    /// `cgroup.events` populated, v1's `cgroup.procs` not empty) or, outside units, the process
    /// itself lives (same pid, same start time). nil when that cannot be read.
    func isRunning(_ owner: ListenerOwner) -> Bool? {
        guard let cgroup = owner.unitCgroup else {
            let statFile = paths.proc("\(owner.pid)/stat")
            switch Self.read(statFile) {
            case .absent: return false
            case .unreadable: return nil
            case .read(let text):
                guard let stat = try? CgroupParsing.processStat(text, file: statFile) else { return nil }
                return stat.startTicks == owner.startTicks
            }
        }
        let root = paths.sys("fs/cgroup")
        let directory: String
        switch cgroup.hierarchy {
        case .unified: directory = (CgroupLayout.exists(root + "/cgroup.controllers") ? root : root + "/unified") + cgroup.path
        case .systemd: directory = root + "/systemd" + cgroup.path
        case .memory: directory = root + "/memory" + cgroup.path
        }
        // A stopped unit's group is removed (systemd) or left empty.
        let file = directory + (cgroup.hierarchy == .unified ? "/cgroup.events" : "/cgroup.procs")
        switch Self.read(file) {
        case .absent: return false
        case .unreadable: return nil
        case .read(let text):
            return cgroup.hierarchy == .unified ? try? CgroupEvents.populated(text, file: file) : !text.isEmpty
        }
    }

    private enum Reading: Equatable {
        case read(String)
        /// The file, its group or its process is gone.
        case absent
        /// Permission, I/O: nothing can be said.
        case unreadable
    }

    private static func read(_ file: String) -> Reading {
        do {
            return try CgroupFiles.read(file).map(Reading.read) ?? .absent
        } catch {
            return .unreadable
        }
    }

    /// A /proc entry that is a process: digits only.
    private static func pid(_ name: String) -> Int? {
        guard !name.isEmpty, name.utf8.count <= 10, name.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") })
        else { return nil }
        return Int(name)
    }
}
