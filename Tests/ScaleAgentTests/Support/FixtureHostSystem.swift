#if canImport(Glibc)
import Glibc
#endif
import NIOConcurrencyHelpers
@testable import ScaleAgent

/// A `HostSystem` with fixed answers, for deterministic collector tests and the golden file.
///
/// statvfs answers by mount point (under `rootfs`, as the filesystem collector stats them),
/// matching Fixtures/proc/1/mounts: `/mnt/broken` fails with EIO, and `/mnt/nfs` hangs, like a
/// hard NFS mount whose server is gone, until `releaseHungMount()` (or, so that a forgotten
/// release cannot hold a test process, `maximumHang`).
final class FixtureHostSystem: HostSystem {
    static let failingMountPoint = "/mnt/broken"
    static let hungMountPoint = "/mnt/nfs"

    static let usageByMountPoint: [String: FilesystemUsage] = [
        "/": FilesystemUsage(
            sizeBytes: 270_553_174_016, freeBytes: 254_386_331_648, availableBytes: 85_276_344_320,
            files: 16_777_216, filesFree: 16_376_349, readOnly: false),
        "/run": FilesystemUsage(
            sizeBytes: 5_055_213_568, freeBytes: 5_053_648_896, availableBytes: 5_053_648_896,
            files: 1_234_183, filesFree: 1_233_412, readOnly: false),
        "/home": FilesystemUsage(
            sizeBytes: 105_089_261_568, freeBytes: 52_428_800_000, availableBytes: 47_052_800_000,
            files: 6_553_600, filesFree: 6_400_000, readOnly: false),
        "/mnt/backup disk": FilesystemUsage(
            sizeBytes: 1_000_204_886_016, freeBytes: 400_000_000_000, availableBytes: 349_000_000_000,
            files: 61_054_976, filesFree: 60_000_000, readOnly: true),
        hungMountPoint: FilesystemUsage(
            sizeBytes: 2_199_023_255_552, freeBytes: 1_099_511_627_776, availableBytes: 1_099_511_627_776,
            files: 134_217_728, filesFree: 134_000_000, readOnly: false),
    ]

    static let fixedUname = UnameInfo(
        sysname: "Linux", nodename: "db-1", release: "6.1.0-18-amd64",
        version: "#1 SMP PREEMPT_DYNAMIC Debian 6.1.76-1 (2024-02-01)", machine: "x86_64", domainname: "(none)")

    /// An unsynchronised clock with a 2.5 ms offset, in nanosecond mode.
    static let fixedClock = ClockAdjustment(
        offsetSeconds: 0.0025, frequencyAdjustmentRatio: 1.0000123, maxErrorSeconds: 16,
        estimatedErrorSeconds: 16, status: 0x2040, loopTimeConstant: 2, tickSeconds: 0.01,
        taiOffsetSeconds: 37, synchronised: false)

    static let fixedNow = 1_700_000_000.25
    static let fixedTimeZone = (name: "CET", offsetSeconds: 3600)

    let rootfs: String
    let maximumHang: Duration
    private let released = ConditionLock(value: false)
    private let hungCalls = NIOLockedValueBox(0)

    init(rootfs: String = Fixtures.paths.rootfs, maximumHang: Duration = .seconds(30)) {
        self.rootfs = rootfs
        self.maximumHang = maximumHang
    }

    /// Lets the hung statvfs (and any later one of the same mount) return.
    func releaseHungMount() {
        released.lock()
        released.unlock(withValue: true)
    }

    /// How many statvfs calls of the hung mount have started.
    var hungMountCalls: Int { hungCalls.withLockedValue { $0 } }

    func uname() throws -> UnameInfo { Self.fixedUname }

    func clockAdjustment() throws -> ClockAdjustment { Self.fixedClock }

    func filesystemUsage(atPath path: String) throws -> FilesystemUsage {
        let mountPoint = mountPoint(ofStatPath: path)
        if mountPoint == Self.failingMountPoint {
            throw SystemCallError(call: "statvfs", argument: path, errno: EIO)
        }
        if mountPoint == Self.hungMountPoint {
            hungCalls.withLockedValue { $0 += 1 }
            if released.lock(whenValue: true, timeoutSeconds: maximumHang.seconds) {
                released.unlock()
            }
        }
        guard let usage = Self.usageByMountPoint[mountPoint] else {
            throw SystemCallError(call: "statvfs", argument: path, errno: ENOENT)
        }
        return usage
    }

    func now() -> Double { Self.fixedNow }

    func timeZone() -> (name: String, offsetSeconds: Int) { Self.fixedTimeZone }

    private func mountPoint(ofStatPath path: String) -> String {
        for mountPoint in Self.usageByMountPoint.keys.sorted() + [Self.failingMountPoint]
        where FilesystemCollector.statPath(rootfs: rootfs, mountPoint: mountPoint) == path {
            return mountPoint
        }
        return path
    }
}

/// A throwaway directory tree for the few cases the shared fixture tree cannot show (a file
/// that is absent), removed on deinit.
final class ScratchTree {
    let root: String
    private var created: [String] = []

    init() {
        var template = Array("/tmp/scalewatch-tests-XXXXXX".utf8CString)
        root = template.withUnsafeMutableBufferPointer { String(cString: mkdtemp($0.baseAddress!)!) }
    }

    /// Writes `text` at `relative`, creating directories on the way.
    func write(_ relative: String, _ text: String) {
        var path = root
        let components = relative.split(separator: "/")
        for directory in components.dropLast() {
            path += "/" + directory
            if mkdir(path, 0o755) == 0 { created.append(path) }
        }
        path += "/" + components.last!
        let file = fopen(path, "w")!
        fputs(text, file)
        fclose(file)
        created.append(path)
    }

    /// Renames `from` to `to` (both relative), as `rename(2)` does: what it held keeps its
    /// inode.
    func move(_ from: String, _ to: String) {
        let (source, target) = (root + "/" + from, root + "/" + to)
        precondition(rename(source, target) == 0, "rename \(from) → \(to)")
        created = created.map { $0 == source || $0.hasPrefix(source + "/") ? target + $0.dropFirst(source.count) : $0 }
    }

    deinit {
        for path in created.reversed() { _ = remove(path) }
        rmdir(root)
    }
}
