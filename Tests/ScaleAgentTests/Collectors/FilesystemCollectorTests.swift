#if canImport(Glibc)
import Glibc
#endif
import Logging
import NIOConcurrencyHelpers
import Testing
@testable import ScaleAgent

@Suite struct FilesystemCollectorTests {
    @Test func parsesMountsAndDecodesOctalEscapes() throws {
        let text = """
            /dev/vda / ext4 rw,relatime 0 0
            /dev/vdc /mnt/backup\\040disk ext4 ro,relatime 0 0

            """
        let mounts = try FilesystemCollector.parse(text, file: "mounts")
        #expect(mounts == [
            .init(device: "/dev/vda", mountPoint: "/", fsType: "ext4", options: ["rw", "relatime"]),
            .init(device: "/dev/vdc", mountPoint: "/mnt/backup disk", fsType: "ext4", options: ["ro", "relatime"]),
        ])
    }

    @Test(arguments: [
        ("/mnt/backup\\040disk", "/mnt/backup disk"),
        ("/mnt/tab\\011here", "/mnt/tab\there"),
        ("/mnt/new\\012line", "/mnt/new\nline"),
        ("/mnt/back\\134slash", "/mnt/back\\slash"),
        ("/mnt/caf\\303\\251", "/mnt/café"),
        ("/mnt/short\\04", "/mnt/short\\04"),
        ("/mnt/not\\089octal", "/mnt/not\\089octal"),
        ("/mnt/too\\777big", "/mnt/too\\777big"),
        ("/plain", "/plain"),
    ])
    func unescapes(field: String, expected: String) {
        #expect(FilesystemCollector.unescape(field[...]) == expected)
    }

    @Test(arguments: [
        ("/dev/vda / ext4\n", 1, "expected device, mount point, type and options, found 3 fields"),
        ("/dev/vda / ext4 rw 0 0\n\n/dev/vdb\n", 3, "found 1 fields"),
    ])
    func rejectsMalformed(text: String, line: Int, expected: String) {
        let error = #expect(throws: ParseError.self) { try FilesystemCollector.parse(text, file: "/proc/1/mounts") }
        #expect(error?.file == "/proc/1/mounts")
        #expect(error?.line == line)
        #expect(error?.message.contains(expected) == true, "\(error?.message ?? "")")
    }

    @Test(arguments: [
        ("/", "/var", "/var"),
        ("/", "/", "/"),
        ("/host", "/var", "/host/var"),
        ("/host/", "/var", "/host/var"),
        ("/host", "/", "/host"),
    ])
    func statsUnderTheRootfs(rootfs: String, mountPoint: String, expected: String) {
        #expect(FilesystemCollector.statPath(rootfs: rootfs, mountPoint: mountPoint) == expected)
    }

    @Test func collectsFromFixture() throws {
        let system = FixtureHostSystem()
        system.releaseHungMount()
        var builder = MetricsBuilder()
        try FilesystemCollector(paths: Fixtures.paths, system: system).collect(into: &builder)
        let families = builder.build()

        #expect(families.map(\.name) == [
            "node_filesystem_size_bytes", "node_filesystem_free_bytes", "node_filesystem_avail_bytes",
            "node_filesystem_files", "node_filesystem_files_free", "node_filesystem_readonly",
            "node_filesystem_device_error",
        ])
        #expect(families.allSatisfy { $0.type == .gauge })
        // Pseudo, container and kernel mounts are excluded; /home, listed twice, is one series.
        #expect(families.mountPoints("node_filesystem_device_error") == [
            "/", "/run", "/home", "/mnt/backup disk", "/mnt/broken", "/mnt/nfs",
        ])
        let root = ["device": "/dev/vda", "fstype": "ext4", "mountpoint": "/"]
        #expect(families.value("node_filesystem_size_bytes", root) == 270_553_174_016)
        #expect(families.value("node_filesystem_free_bytes", root) == 254_386_331_648)
        #expect(families.value("node_filesystem_avail_bytes", root) == 85_276_344_320)
        #expect(families.value("node_filesystem_files", root) == 16_777_216)
        #expect(families.value("node_filesystem_files_free", root) == 16_376_349)
        #expect(families.value("node_filesystem_readonly", root) == 0)
        #expect(families.value("node_filesystem_device_error", root) == 0)

        let backup = ["device": "/dev/vdc", "fstype": "ext4", "mountpoint": "/mnt/backup disk"]
        #expect(families.value("node_filesystem_readonly", backup) == 1)
        #expect(families.value("node_filesystem_size_bytes", backup) == 1_000_204_886_016)
        #expect(families.value("node_filesystem_device_error", ["device": "fileserver:/export", "fstype": "nfs4", "mountpoint": "/mnt/nfs"]) == 0)
        #expect(families.first { $0.name == "node_filesystem_avail_bytes" }?.help == "Filesystem space available to non-root users in bytes.")
    }

    /// A 300-year stat timeout once passed `check config` and trapped in the first
    /// collection's wait; config now refuses it, and the wait saturates anyway.
    @Test func hugeStatTimeoutCollects() throws {
        let system = FixtureHostSystem()
        system.releaseHungMount()
        var builder = MetricsBuilder()
        let collector = FilesystemCollector(paths: Fixtures.paths, system: system, statTimeout: .seconds(300 * 365 * 86_400))
        try collector.collect(into: &builder)
        #expect(builder.build().mountPoints("node_filesystem_device_error").contains("/"))
    }

    @Test func failedStatIsADeviceErrorWithoutSizes() throws {
        let system = FixtureHostSystem()
        system.releaseHungMount()
        var builder = MetricsBuilder()
        try FilesystemCollector(paths: Fixtures.paths, system: system).collect(into: &builder)
        let families = builder.build()
        let broken = ["device": "/dev/vdd", "fstype": "xfs", "mountpoint": "/mnt/broken"]
        #expect(families.value("node_filesystem_device_error", broken) == 1)
        #expect(families.value("node_filesystem_readonly", broken) == 0)
        #expect(!families.mountPoints("node_filesystem_size_bytes").contains("/mnt/broken"))
        #expect(!families.mountPoints("node_filesystem_files_free").contains("/mnt/broken"))
    }

    @Test func excludesByMountPointAndType() throws {
        let system = FixtureHostSystem()
        system.releaseHungMount()
        var builder = MetricsBuilder()
        let collector = FilesystemCollector(
            paths: Fixtures.paths, system: system, mountPointsExclude: try Pattern("^/mnt/"),
            fsTypesExclude: try Pattern("^(proc|sysfs|devtmpfs|devpts|cgroup2|bpf|squashfs|iso9660|overlay)$"))
        try collector.collect(into: &builder)
        // Both patterns replace the defaults: tmpfs under /dev and /run/credentials is kept.
        #expect(builder.build().mountPoints("node_filesystem_device_error") == [
            "/", "/dev/shm", "/run", "/run/credentials/systemd-journald.service", "/home",
        ])
    }

    @Test func defaultExcludesCoverNodeExportersList() throws {
        let points = FilesystemCollector.defaultMountPointsExclude
        for excluded in ["/dev", "/dev/shm", "/proc", "/sys/fs/cgroup", "/run/credentials/x.service", "/var/lib/docker/overlay2/a/merged", "/var/lib/containers/storage/overlay"] {
            #expect(points.matches(excluded), "\(excluded)")
        }
        for kept in ["/", "/run", "/run/credentials", "/var/lib/docker", "/devices", "/home"] {
            #expect(!points.matches(kept), "\(kept)")
        }
        let types = FilesystemCollector.defaultFSTypesExclude
        for excluded in ["cgroup", "cgroup2", "bpf", "overlay", "squashfs", "tracefs", "nsfs", "iso9660"] {
            #expect(types.matches(excluded), "\(excluded)")
        }
        for kept in ["ext4", "xfs", "tmpfs", "nfs4", "btrfs", "fuse.sshfs", "cgroup3"] {
            #expect(!types.matches(kept), "\(kept)")
        }
    }

    @Test func stuckMountIsSkippedUntilItsStatReturns() throws {
        let system = FixtureHostSystem()
        let log = CapturedLog()
        let collector = FilesystemCollector(
            paths: Fixtures.paths, system: system, statTimeout: .milliseconds(100), logger: log.logger)
        let nfs = ["device": "fileserver:/export", "fstype": "nfs4", "mountpoint": "/mnt/nfs"]

        // First collection: the stat hangs past the timeout; the rest are reported normally.
        let start = ContinuousClock.now
        var first = MetricsBuilder()
        try collector.collect(into: &first)
        #expect(ContinuousClock.now - start < .seconds(5))
        var families = first.build()
        #expect(families.value("node_filesystem_device_error", nfs) == 1)
        #expect(families.value("scalewatch_filesystem_mount_stuck", nfs) == 1)
        #expect(families.mountPoints("scalewatch_filesystem_mount_stuck") == ["/mnt/nfs"])
        #expect(!families.mountPoints("node_filesystem_size_bytes").contains("/mnt/nfs"))
        #expect(families.value("node_filesystem_size_bytes", ["device": "/dev/vda", "fstype": "ext4", "mountpoint": "/"]) != nil)
        #expect(log.errors.count == 1)
        #expect(log.errors.first?.contains("/mnt/nfs") == true)

        // Second collection: still stuck, skipped without a new stat and without a new error.
        var second = MetricsBuilder()
        try collector.collect(into: &second)
        families = second.build()
        #expect(families.value("scalewatch_filesystem_mount_stuck", nfs) == 1)
        #expect(families.value("node_filesystem_device_error", nfs) == 1)
        #expect(system.hungMountCalls == 1)
        #expect(log.errors.count == 1)

        // The hung call returns: the mount is statted and reported again.
        system.releaseHungMount()
        var recovered: [MetricFamily] = []
        for _ in 0..<200 {
            var next = MetricsBuilder()
            try collector.collect(into: &next)
            recovered = next.build()
            if recovered.value("scalewatch_filesystem_mount_stuck", nfs) == nil { break }
            usleep(10_000)
        }
        #expect(recovered.value("scalewatch_filesystem_mount_stuck", nfs) == nil)
        #expect(recovered.value("node_filesystem_device_error", nfs) == 0)
        #expect(recovered.value("node_filesystem_size_bytes", nfs) == 2_199_023_255_552)
        #expect(system.hungMountCalls == 2)
        #expect(log.errors.count == 1)
    }

    /// One thread stats a collection's mounts in turn, local ones first: a hung network mount
    /// delays only the network mounts queued behind it, and only for that collection.
    @Test func mountQueuedBehindAHungOneIsStattedByTheNextCollection() throws {
        let tree = ScratchTree()
        tree.write(
            "self/mounts",
            "fileserver:/export /mnt/nfs nfs4 rw 0 0\n/dev/vda / ext4 rw 0 0\nfileserver:/home /home nfs4 rw 0 0\n")
        let system = FixtureHostSystem()
        defer { system.releaseHungMount() }
        let collector = FilesystemCollector(
            paths: HostPaths(procfs: tree.root, rootfs: Fixtures.paths.rootfs), system: system,
            statTimeout: .milliseconds(100), logger: CapturedLog().logger)
        let home = ["device": "fileserver:/home", "fstype": "nfs4", "mountpoint": "/home"]

        var first = MetricsBuilder()
        try collector.collect(into: &first)
        var families = first.build()
        #expect(families.mountPoints("node_filesystem_size_bytes") == ["/"])
        #expect(families.mountPoints("scalewatch_filesystem_mount_stuck") == ["/mnt/nfs"])
        #expect(families.value("node_filesystem_device_error", home) == 1)

        var second = MetricsBuilder()
        try collector.collect(into: &second)
        families = second.build()
        #expect(families.mountPoints("node_filesystem_size_bytes") == ["/", "/home"])
        #expect(families.value("node_filesystem_device_error", home) == 0)
        #expect(families.mountPoints("scalewatch_filesystem_mount_stuck") == ["/mnt/nfs"])
        #expect(system.hungMountCalls == 1)
    }

    @Test func networkAndFUSEFileSystemsMayHang() {
        for type in ["nfs", "nfs4", "cifs", "fuse.sshfs", "fuse", "ceph", "9p"] {
            #expect(FilesystemCollector.mayHang(fsType: type), "\(type)")
        }
        for type in ["ext4", "xfs", "btrfs", "tmpfs", "vfat", "zfs"] {
            #expect(!FilesystemCollector.mayHang(fsType: type), "\(type)")
        }
    }

    @Test func fallsBackToOwnMountsWhenInitsAreHidden() throws {
        let tree = ScratchTree()
        tree.write("self/mounts", "/dev/vda / ext4 rw 0 0\n")
        var builder = MetricsBuilder()
        try FilesystemCollector(paths: HostPaths(procfs: tree.root, rootfs: Fixtures.paths.rootfs), system: FixtureHostSystem())
            .collect(into: &builder)
        #expect(builder.build().mountPoints("node_filesystem_size_bytes") == ["/"])
    }

    @Test func reportsParseErrorsAgainstTheFileRead() {
        let tree = ScratchTree()
        tree.write("1/mounts", "/dev/vda / ext4 rw 0 0\nbroken\n")
        var builder = MetricsBuilder()
        let error = #expect(throws: ParseError.self) {
            try FilesystemCollector(paths: HostPaths(procfs: tree.root), system: FixtureHostSystem()).collect(into: &builder)
        }
        #expect(error?.file == tree.root + "/1/mounts")
        #expect(error?.line == 2)
    }
}

/// Collects the messages logged at error level or above.
private final class CapturedLog: Sendable {
    private let messages = NIOLockedValueBox<[String]>([])

    var errors: [String] { messages.withLockedValue { $0 } }

    var logger: Logger {
        Logger(label: "test") { _ in Handler(log: self) }
    }

    private struct Handler: LogHandler {
        let log: CapturedLog
        var logLevel: Logger.Level = .trace
        var metadata: Logger.Metadata = [:]

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }

        func log(event: LogEvent) {
            guard event.level >= .error else { return }
            let text = "\(event.message) \(event.metadata ?? [:])"
            log.messages.withLockedValue { $0.append(text) }
        }
    }
}

extension [MetricFamily] {
    fileprivate func value(_ name: String, _ labels: [String: String] = [:]) -> Double? {
        first { $0.name == name }?.samples.first { sample in
            sample.labels.count == labels.count && labels.allSatisfy { sample.labels[$0.key] == $0.value }
        }?.value
    }

    fileprivate func mountPoints(_ name: String) -> [String] {
        first { $0.name == name }?.samples.compactMap { $0.labels["mountpoint"] } ?? []
    }
}
