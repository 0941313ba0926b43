#if canImport(Glibc)
import Glibc
#endif
import MetricStore
import Testing
import TestSupport
@testable import ScaleAgent

/// btrfs on the fixture tree (no Btrfs is mounted on this machine: the tree follows
/// fs/btrfs/sysfs.c and Documentation/ABI/testing/sysfs-fs-btrfs), the ioctl argument
/// layouts on exact bytes, and the errors of both.
@Suite struct BtrfsCollectorTests {
    private func collect(_ paths: HostPaths) throws -> [MetricFamily] {
        var builder = MetricsBuilder()
        try BtrfsCollector(paths: paths).collect(into: &builder)
        return builder.build()
    }

    private func samples(_ families: [MetricFamily], _ name: String) -> [MetricSample] {
        families.first { $0.name == name }?.samples ?? []
    }

    @Test func twoFilesystemsFromSysfs() throws {
        let root = Fixtures.paths.sys("fs/btrfs")
        let backup = try BtrfsSysfs.read(root + "/9e2b7d40-1f6a-4b3c-8e95-c0d4a2f61b87", fsid: "9e2b7d40-1f6a-4b3c-8e95-c0d4a2f61b87")
        #expect(backup.label == "backup")
        #expect(backup.devices == [.init(name: "sdb", bytes: 2_000_398_934_016), .init(name: "sdc", bytes: 2_000_398_934_016)])
        #expect(backup.globalReserveBytes == 536_870_912)
        #expect(backup.blockGroups.map(\.type) == ["data", "metadata", "system"])
        #expect(backup.blockGroups[1] == .init(
            type: "metadata", reservedBytes: 65536,
            profiles: [.init(mode: "raid1", totalBytes: 5_368_709_120, usedBytes: 2_147_483_648, ratio: 2)]))

        let families = try collect(Fixtures.paths)
        #expect(samples(families, "node_btrfs_info").map { $0.labels["label"] } == ["root", "backup"])
        let sizes = samples(families, "node_btrfs_size_bytes")
        #expect(sizes.count == 6)
        #expect(sizes.first?.labels == Labels(["uuid": "3c4a1e2f-8d7b-4c61-9f05-2e8d6b1a7c34", "block_group_type": "data", "mode": "single"]))
        #expect(samples(families, "node_btrfs_allocation_ratio").map(\.value) == [1, 2, 2, 2, 2, 2])
        // No btrfs mount in the fixture mount table: devices come from sysfs, as without ioctls.
        let devices = samples(families, "node_btrfs_device_size_bytes")
        #expect(devices.map { $0.labels["device"] } == ["vda2", "sdb", "sdc"])
        #expect(devices.allSatisfy { $0.labels["btrfs_dev_uuid"] == nil })
        #expect(!families.contains { $0.name == "node_btrfs_device_errors_total" })
        #expect(families.map(\.name).sorted() == [
            "node_btrfs_allocation_ratio", "node_btrfs_device_size_bytes", "node_btrfs_global_rsv_size_bytes", "node_btrfs_info",
            "node_btrfs_reserved_bytes", "node_btrfs_size_bytes", "node_btrfs_used_bytes",
        ])
    }

    @Test(arguments: [
        ("single", 1, 1.0), ("raid0", 3, 1), ("dup", 1, 2), ("raid1", 2, 2), ("raid10", 4, 2), ("raid1c3", 3, 3),
        ("raid1c4", 4, 4), ("raid5", 3, 1.5), ("raid6", 4, 2), ("raid5", 1, 0), ("raid6", 2, 0), ("mixed", 1, 0),
    ])
    func allocationRatio(mode: String, devices: Int, ratio: Double) {
        #expect(BtrfsSysfs.ratio(mode: mode, devices: devices) == ratio)
    }

    @Test(arguments: ["", "\n", "12 13\n", "-1\n", "lots\n", "18446744073709551616\n"])
    func rejectsAValueThatIsNotOneNumber(text: String) {
        let error = #expect(throws: ParseError.self) { try BtrfsSysfs.parseNumber(text, file: "bytes_reserved") }
        #expect(error?.message.hasPrefix("expected an unsigned integer") == true)
    }

    @Test func malformedAndMissingFiles() throws {
        let directory = TestDirectory(prefix: "scalewatch-btrfs")
        defer { directory.remove() }
        try directory.write("fs/btrfs/aaaa-bbbb/allocation/data/single/total_bytes", "4096\n")
        // Without devices/ the file system cannot be described.
        let missing = #expect(throws: FileReadError.self) { try collect(HostPaths(procfs: "/nonexistent", sysfs: directory.path)) }
        #expect(missing?.path == directory.path + "/fs/btrfs/aaaa-bbbb/devices")

        try directory.write("fs/btrfs/aaaa-bbbb/devices/sda/size", "100\n")
        let families = try collect(HostPaths(procfs: "/nonexistent", sysfs: directory.path))
        // Missing value files read as 0, the UUID comes from the directory's name.
        #expect(samples(families, "node_btrfs_used_bytes").map(\.value) == [0])
        #expect(samples(families, "node_btrfs_size_bytes").map(\.value) == [4096])
        #expect(samples(families, "node_btrfs_info").first?.labels == Labels(["uuid": "aaaa-bbbb"]))
        #expect(samples(families, "node_btrfs_device_size_bytes").first?.value == 51200)

        try directory.write("fs/btrfs/aaaa-bbbb/allocation/data/single/used_bytes", "1 2\n")
        let malformed = #expect(throws: ParseError.self) { try collect(HostPaths(procfs: "/nonexistent", sysfs: directory.path)) }
        #expect(malformed?.file == directory.path + "/fs/btrfs/aaaa-bbbb/allocation/data/single/used_bytes")
    }

    @Test func skippedWithoutBtrfs() throws {
        let directory = TestDirectory(prefix: "scalewatch-btrfs")
        defer { directory.remove() }
        try directory.write("fs/btrfs/features/raid1c34", "0\n")
        #expect(try collect(HostPaths(sysfs: directory.path)).isEmpty)
        #expect(try collect(HostPaths(sysfs: "/nonexistent")).isEmpty)
    }

    // MARK: ioctl arguments

    private func bytes(count: Int, _ fields: [(offset: Int, value: UInt64)]) -> [UInt8] {
        var result = [UInt8](repeating: 0, count: count)
        for (offset, value) in fields {
            for index in 0..<8 { result[offset + index] = UInt8(truncatingIfNeeded: value >> (8 * UInt64(index))) }
        }
        return result
    }

    @Test func requestNumbersFollowTheIoctlEncoding() {
        // dir << 30 | size << 16 | type << 8 | nr, dir 2 read and 3 read-write.
        func request(_ direction: UInt, _ number: UInt, _ size: Int) -> UInt { direction << 30 | UInt(size) << 16 | 0x94 << 8 | number }
        #expect(BtrfsIoctl.fsInfoRequest == request(2, 31, BtrfsIoctl.fsInfoSize))
        #expect(BtrfsIoctl.devInfoRequest == request(3, 30, BtrfsIoctl.devInfoSize))
        #expect(BtrfsIoctl.getDevStatsRequest == request(3, 52, BtrfsIoctl.devStatsSize))
    }

    @Test func filesystemInfo() {
        var argument = bytes(count: 1024, [(0, 3), (8, 2)])
        argument.replaceSubrange(16..<32, with: [0x9e, 0x2b, 0x7d, 0x40, 0x1f, 0x6a, 0x4b, 0x3c, 0x8e, 0x95, 0xc0, 0xd4, 0xa2, 0xf6, 0x1b, 0x87])
        #expect(BtrfsIoctl.decodeFilesystemInfo(argument) == .init(maxID: 3, deviceCount: 2, fsid: "9e2b7d401f6a4b3c8e95c0d4a2f61b87"))
    }

    @Test func deviceInfo() {
        #expect(BtrfsIoctl.deviceInfoArgument(devid: 2) == bytes(count: 4096, [(0, 2)]))
        var argument = bytes(count: 4096, [(0, 2), (24, 1_073_741_824), (32, 2_000_398_934_016)])
        argument.replaceSubrange(8..<24, with: [0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88, 0x99, 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff, 0x00])
        argument.replaceSubrange(3072..<3080, with: Array("/dev/sdc".utf8))
        argument[4095] = UInt8(ascii: "x")  // after the terminating NUL: not part of the path
        #expect(BtrfsIoctl.decodeDeviceInfo(argument) == .init(
            uuid: "11223344-5566-7788-99aa-bbccddeeff00", bytesUsed: 1_073_741_824, totalBytes: 2_000_398_934_016, path: "/dev/sdc"))
        #expect(BtrfsIoctl.decodeDeviceInfo(bytes(count: 4096, [])).uuid == "<zero>")
    }

    @Test func deviceStats() {
        #expect(BtrfsIoctl.deviceStatsArgument(devid: 7) == bytes(count: 1032, [(0, 7), (8, 5)]))
        let all = bytes(count: 1032, [(8, 5), (24, 1), (32, 2), (40, 3), (48, 4), (56, 5)])
        #expect(BtrfsIoctl.decodeDeviceStats(all) == .init(write: 1, read: 2, flush: 3, corruption: 4, generation: 5))
        // A kernel that knows fewer counters says so in nr_items.
        let fewer = bytes(count: 1032, [(8, 2), (24, 1), (32, 2), (40, 3)])
        #expect(BtrfsIoctl.decodeDeviceStats(fewer) == .init(write: 1, read: 2))
    }

    @Test func aMountPointThatIsNoSubvolumeRootIsPassedOver() throws {
        let directory = TestDirectory(prefix: "scalewatch-btrfs")
        defer { directory.remove() }
        #expect(try BtrfsIoctl.devices(mountPoint: directory.path).map(\.devices) == nil)
        let error = #expect(throws: BtrfsIoctlError.self) { try BtrfsIoctl.devices(mountPoint: directory.path + "/gone") }
        #expect(error?.errno == ENOENT)
        #expect(error?.description == directory.path + "/gone: open: No such file or directory")
    }

    /// A real Btrfs of two devices in RAID1 (mkfs.btrfs on two loop devices, mounted in the
    /// test's own mount namespace as root), named by SCALEWATCH_TEST_BTRFS_MOUNT; the ioctls
    /// cannot be faked on a fixture tree.
    @Test(.enabled(if: getenv("SCALEWATCH_TEST_BTRFS_MOUNT") != nil))
    func devicesAndErrorsFromTheIoctlsOfARealMount() throws {
        let mountPoint = String(cString: getenv("SCALEWATCH_TEST_BTRFS_MOUNT"))
        let (info, devices) = try #require(try BtrfsIoctl.devices(mountPoint: mountPoint))
        #expect(info.deviceCount == 2)
        #expect(devices.count == 2)
        #expect(devices.allSatisfy { $0.info.path.hasPrefix("/dev/loop") && $0.info.totalBytes > $0.info.bytesUsed })
        #expect(devices.allSatisfy { $0.errors == BtrfsIoctl.DeviceErrors() })

        // The mount table of this namespace, where /proc/1/mounts would show the host's.
        let proc = TestDirectory(prefix: "scalewatch-btrfs")
        defer { proc.remove() }
        try proc.write("1/mounts", try FileReading.string(atPath: "/proc/self/mounts"))
        let families = try collect(HostPaths(procfs: proc.path))
        let errors = samples(families, "node_btrfs_device_errors_total").filter { $0.labels["uuid"]?.filter { $0 != "-" } == info.fsid }
        #expect(errors.count == 10)
        #expect(Set(errors.compactMap { $0.labels["btrfs_dev_uuid"] }) == Set(devices.map(\.info.uuid)))
        let sizes = samples(families, "node_btrfs_device_size_bytes").filter { $0.labels["btrfs_dev_uuid"] != nil }
        #expect(sizes.map { $0.labels["device"] ?? "" }.sorted() == devices.map { String($0.info.path.dropFirst(5)) }.sorted())
    }
}
