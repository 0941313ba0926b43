#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Logging
import MetricStore
import NIOConcurrencyHelpers

/// Size and inode usage of mounted file systems, under node_exporter's `filesystem` names.
///
/// statvfs of a hung NFS or FUSE mount can block forever, in the kernel, beyond the reach of
/// any signal. So the stats run on a thread of the collector's own, never a pool thread, and the
/// collection waits at most `statTimeout` for all of them. A mount whose stat timed out is
/// *stuck*: it is reported as `node_filesystem_device_error 1` and
/// `scalewatch_filesystem_mount_stuck 1` and not statted again, so that threads do not pile up
/// behind it, until that one call returns; its thread is left to it, and the next collection
/// gets another.
public struct FilesystemCollector: Collector {
    public let name = "filesystem"
    private let paths: HostPaths
    private let system: any HostSystem
    private let mountPointsExclude: Pattern
    private let fsTypesExclude: Pattern
    private let statTimeout: Duration
    private let logger: Logger
    private let stuck = StuckMounts()
    private let statThread = ReusableThreadSlot()

    /// node_exporter 1.5's defaults: kernel and container-runtime trees, and pseudo file
    /// systems whose sizes mean nothing.
    public static let defaultStatTimeout: Duration = .seconds(5)
    public static let defaultMountPointsExclude = try! Pattern(
        #"^/(dev|proc|run/credentials/.+|sys|var/lib/docker/.+|var/lib/containers/storage/.+)($|/)"#)
    public static let defaultFSTypesExclude = try! Pattern(
        #"^(autofs|binfmt_misc|bpf|cgroup2?|configfs|debugfs|devpts|devtmpfs|fusectl|hugetlbfs|iso9660|mqueue|nsfs|overlay|proc|procfs|pstore|rpc_pipefs|securityfs|selinuxfs|squashfs|sysfs|tracefs)$"#)

    public init(
        paths: HostPaths, system: any HostSystem,
        mountPointsExclude: Pattern = FilesystemCollector.defaultMountPointsExclude,
        fsTypesExclude: Pattern = FilesystemCollector.defaultFSTypesExclude,
        statTimeout: Duration = FilesystemCollector.defaultStatTimeout,
        logger: Logger = Logger(label: "scalewatch.collector.filesystem")
    ) {
        self.paths = paths
        self.system = system
        self.mountPointsExclude = mountPointsExclude
        self.fsTypesExclude = fsTypesExclude
        self.statTimeout = statTimeout
        self.logger = logger
    }

    public func collect(into metrics: inout MetricsBuilder) throws {
        let (text, file) = try paths.readHostMounts()
        var seen = Set<Mount>()
        let mounts = try Self.parse(text, file: file).filter { mount in
            !mountPointsExclude.matches(mount.mountPoint) && !fsTypesExclude.matches(mount.fsType)
                // A file system mounted twice on the same point is one series, as in node_exporter.
                && seen.insert(mount.withoutOptions).inserted
        }
        Self.emit(try stat(mounts), into: &metrics)
    }

    // MARK: Mount table

    struct Mount: Hashable {
        var device: String
        var mountPoint: String
        var fsType: String
        var options: [String] = []

        var withoutOptions: Mount { Mount(device: device, mountPoint: mountPoint, fsType: fsType) }
    }

    /// fstab(5) format, `device mountpoint fstype options dump pass`, with space, tab, newline
    /// and backslash in names escaped as `\040`, `\011`, `\012`, `\134`.
    static func parse(_ text: String, file: String) throws(ParseError) -> [Mount] {
        var mounts: [Mount] = []
        for (index, line) in text.splitASCII(UInt8(ascii: "\n"), omittingEmptySubsequences: false).enumerated() {
            let fields = line.splitASCIIWhitespace()
            if fields.isEmpty { continue }
            guard fields.count >= 4 else {
                throw ParseError(file: file, line: index + 1, "expected device, mount point, type and options, found \(fields.count) fields")
            }
            mounts.append(Mount(
                device: unescape(fields[0]), mountPoint: unescape(fields[1]), fsType: unescape(fields[2]),
                options: fields[3].splitASCII(UInt8(ascii: ",")).map(String.init)))
        }
        return mounts
    }

    /// Decodes `\ooo` octal escapes; a backslash not followed by three octal digits is kept.
    static func unescape(_ field: Substring) -> String {
        guard field.utf8.contains(UInt8(ascii: "\\")) else { return String(field) }
        var bytes: [UInt8] = []
        var utf8 = field.utf8[...]
        while let byte = utf8.popFirst() {
            let digits = utf8.prefix(3)
            if byte == UInt8(ascii: "\\"), digits.count == 3,
                digits.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "7") })
            {
                let value = digits.reduce(0) { $0 * 8 + Int($1 - UInt8(ascii: "0")) }
                if value <= 255 {
                    bytes.append(UInt8(value))
                    utf8 = utf8.dropFirst(3)
                    continue
                }
            }
            bytes.append(byte)
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Where the mount is statted: under `paths.rootfs` when the host's root is mounted
    /// elsewhere (a containerised agent); the label keeps the host's path.
    static func statPath(rootfs: String, mountPoint: String) -> String {
        var root = rootfs
        while root.count > 1 && root.hasSuffix("/") { root.removeLast() }
        if root == "/" || root.isEmpty { return mountPoint }
        return mountPoint == "/" ? root : root + mountPoint
    }

    // MARK: Stat with a timeout

    /// File systems whose statvfs waits on a server or a user-space daemon.
    static func mayHang(fsType: String) -> Bool {
        fsType.hasPrefix("nfs") || fsType.hasPrefix("fuse") || remoteFSTypes.contains(fsType)
    }

    private static let remoteFSTypes: Set<String> = [
        "9p", "afs", "beegfs", "ceph", "cifs", "gfs2", "glusterfs", "gpfs", "lustre", "ocfs2", "smb3", "smbfs", "sshfs",
    ]

    enum Outcome {
        case usage(FilesystemUsage)
        case failed(any Error)
        case stuck
    }

    struct StatNotReached: Error, CustomStringConvertible {
        var description: String { "not statted: queued behind a mount whose statvfs did not return in time" }
    }

    private func stat(_ mounts: [Mount]) throws -> [(Mount, Outcome)] {
        let deadline = ContinuousClock.now + statTimeout
        var statted: [Int] = []
        for (index, mount) in mounts.enumerated() {
            if stuck.contains(mount.mountPoint) {
                logger.debug("Skipping a stuck mount", metadata: ["mountpoint": "\(mount.mountPoint)"])
                continue
            }
            statted.append(index)
        }
        // Network and FUSE mounts last: they are the ones that hang, and a hung call holds up
        // the mounts behind it in the batch.
        let local = statted.filter { !Self.mayHang(fsType: mounts[$0].fsType) }
        statted = local + statted.filter { Self.mayHang(fsType: mounts[$0].fsType) }
        let targets = statted.map {
            StatBatch.Target(path: Self.statPath(rootfs: paths.rootfs, mountPoint: mounts[$0].mountPoint), mountPoint: mounts[$0].mountPoint)
        }
        let batch = try StatBatch.start(targets, system: system, on: statThread, stuck: stuck, logger: logger)
        let (results, stuckIndex) = batch.wait(timeout: deadline - ContinuousClock.now)
        // Its call may never return: the next collection gets another thread.
        if stuckIndex != nil { statThread.retireCurrent() }
        var outcomes = mounts.map { ($0, Outcome.stuck) }
        for (position, index) in statted.enumerated() {
            let mount = mounts[index]
            switch results[position] {
            case .success(let usage)?:
                outcomes[index].1 = .usage(usage)
            case .failure(let error)?:
                logger.debug("statvfs failed", metadata: ["mountpoint": "\(mount.mountPoint)", "error": "\(error)"])
                outcomes[index].1 = .failed(error)
            case nil where position == stuckIndex:
                logger.error(
                    "statvfs did not return in time; skipping the mount until it does",
                    metadata: [
                        "mountpoint": "\(mount.mountPoint)", "device": "\(mount.device)",
                        "fstype": "\(mount.fsType)", "timeout": "\(statTimeout)",
                    ])
            case nil:
                // Queued behind the stuck mount: statted again by the next collection.
                outcomes[index].1 = .failed(StatNotReached())
            }
        }
        return outcomes
    }

    // MARK: Exposition

    private static func emit(_ outcomes: [(Mount, Outcome)], into metrics: inout MetricsBuilder) {
        func labels(_ mount: Mount) -> Labels {
            Labels(["device": mount.device, "fstype": mount.fsType, "mountpoint": mount.mountPoint])
        }
        let sizes: [(String, String, KeyPath<FilesystemUsage, Double>)] = [
            ("node_filesystem_size_bytes", "Filesystem size in bytes.", \.sizeBytes),
            ("node_filesystem_free_bytes", "Filesystem free space in bytes.", \.freeBytes),
            ("node_filesystem_avail_bytes", "Filesystem space available to non-root users in bytes.", \.availableBytes),
            ("node_filesystem_files", "Filesystem total file nodes.", \.files),
            ("node_filesystem_files_free", "Filesystem total free file nodes.", \.filesFree),
        ]
        for (name, help, field) in sizes {
            for case let (mount, .usage(usage)) in outcomes {
                metrics.add(name, help, .gauge, usage[keyPath: field], labels: labels(mount))
            }
        }
        for (mount, outcome) in outcomes {
            // Without a statvfs result, the mount options are the best answer.
            let readOnly = if case .usage(let usage) = outcome { usage.readOnly } else { mount.options.contains("ro") }
            metrics.add("node_filesystem_readonly", "Filesystem read-only status.", .gauge, readOnly ? 1 : 0, labels: labels(mount))
        }
        for (mount, outcome) in outcomes {
            let error: Double = if case .usage = outcome { 0 } else { 1 }
            metrics.add(
                "node_filesystem_device_error", "Whether an error occurred while getting statistics for the given device.",
                .gauge, error, labels: labels(mount))
        }
        for case let (mount, .stuck) in outcomes {
            metrics.add(
                "scalewatch_filesystem_mount_stuck",
                "Whether statfs of the mount point did not return within the timeout; it is not statted again until it does.",
                .gauge, 1, labels: labels(mount))
        }
    }
}
