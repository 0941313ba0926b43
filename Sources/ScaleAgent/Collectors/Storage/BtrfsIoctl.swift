#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

// Btrfs per-device statistics through the file system's ioctls (include/uapi/linux/btrfs.h),
// which sysfs lacks: which block device has which device id and UUID, how much of it is
// allocated, and its error counters. Each call takes one fixed-size argument struct on a
// descriptor of the mounted file system, all fields in the host's byte order:
//
//   BTRFS_IOC_FS_INFO   _IOR(0x94, 31, 1024 bytes)            = 0x8400941F
//     │ max_id u64 @0 │ num_devices u64 @8 │ fsid [16] @16 │ nodesize, sectorsize, … │ reserved … │
//
//   BTRFS_IOC_DEV_INFO  _IOWR(0x94, 30, 4096 bytes)           = 0xD000941E
//     │ devid u64 @0 (in) │ uuid [16] @8 │ bytes_used u64 @24 │ total_bytes u64 @32 │
//     │ unused u64×379 @40 │ path [1024] @3072, NUL-terminated │
//
//   BTRFS_IOC_GET_DEV_STATS _IOWR(0x94, 52, 1032 bytes)       = 0xC4089434
//     │ devid u64 @0 (in) │ nr_items u64 @8 (in: 5, out: how many the kernel filled) │
//     │ flags u64 @16 (0: read without reset) │ values u64×5 @24 │ unused u64×121 @64 │
//     values: write, read, flush, corruption, generation errors.
//
// Device ids run from 1 to max_id with holes where devices were removed (DEV_INFO fails
// with ENODEV there); num_devices says when all were found. None of the three needs
// privileges; only resetting the counters does.
enum BtrfsIoctl {
    static let fsInfoRequest: UInt = 0x8400_941F
    static let devInfoRequest: UInt = 0xD000_941E
    static let getDevStatsRequest: UInt = 0xC408_9434
    static let fsInfoSize = 1024
    static let devInfoSize = 4096
    static let devStatsSize = 1032
    static let statValueCount: UInt64 = 5
    /// The inode number of every subvolume's root directory.
    static let subvolumeRootInode: UInt64 = 256

    struct FilesystemInfo: Equatable {
        var maxID: UInt64
        var deviceCount: UInt64
        /// Lower-case hex without dashes, as node_exporter keys file systems.
        var fsid: String
    }

    struct DeviceInfo: Equatable {
        var uuid: String
        var bytesUsed: UInt64
        var totalBytes: UInt64
        var path: String
    }

    struct DeviceErrors: Equatable {
        var write: UInt64 = 0
        var read: UInt64 = 0
        var flush: UInt64 = 0
        var corruption: UInt64 = 0
        var generation: UInt64 = 0
    }

    struct Device: Equatable {
        var info: DeviceInfo
        var errors: DeviceErrors
    }

    // MARK: Argument structs

    static func decodeFilesystemInfo(_ bytes: [UInt8]) -> FilesystemInfo {
        precondition(bytes.count == fsInfoSize, "BUG: FS_INFO argument of \(bytes.count) bytes")
        return FilesystemInfo(
            maxID: load(bytes, at: 0), deviceCount: load(bytes, at: 8), fsid: hex(bytes[16..<32]))
    }

    static func deviceInfoArgument(devid: UInt64) -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: devInfoSize)
        store(devid, into: &bytes, at: 0)
        return bytes
    }

    static func decodeDeviceInfo(_ bytes: [UInt8]) -> DeviceInfo {
        precondition(bytes.count == devInfoSize, "BUG: DEV_INFO argument of \(bytes.count) bytes")
        let path = bytes[3072..<4096].prefix { $0 != 0 }
        return DeviceInfo(
            uuid: uuidString(bytes[8..<24]), bytesUsed: load(bytes, at: 24), totalBytes: load(bytes, at: 32),
            path: String(decoding: path, as: UTF8.self))
    }

    static func deviceStatsArgument(devid: UInt64) -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: devStatsSize)
        store(devid, into: &bytes, at: 0)
        store(statValueCount, into: &bytes, at: 8)
        return bytes
    }

    /// Counters the kernel did not fill (an older kernel knowing fewer) stay 0.
    static func decodeDeviceStats(_ bytes: [UInt8]) -> DeviceErrors {
        precondition(bytes.count == devStatsSize, "BUG: GET_DEV_STATS argument of \(bytes.count) bytes")
        let filled = min(load(bytes, at: 8), statValueCount)
        var values = [UInt64](repeating: 0, count: Int(statValueCount))
        for index in 0..<Int(filled) { values[index] = load(bytes, at: 24 + 8 * index) }
        return DeviceErrors(write: values[0], read: values[1], flush: values[2], corruption: values[3], generation: values[4])
    }

    private static func load(_ bytes: [UInt8], at offset: Int) -> UInt64 {
        bytes.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: offset, as: UInt64.self) }
    }

    private static func store(_ value: UInt64, into bytes: inout [UInt8], at offset: Int) {
        bytes.withUnsafeMutableBytes { $0.storeBytes(of: value, toByteOffset: offset, as: UInt64.self) }
    }

    private static func hex(_ bytes: ArraySlice<UInt8>) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var text: [UInt8] = []
        for byte in bytes {
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0xF)])
        }
        return String(decoding: text, as: UTF8.self)
    }

    /// `8-4-4-4-12` hex groups; an all-zero UUID reads `<zero>`, as node_exporter's library
    /// prints it.
    static func uuidString(_ bytes: ArraySlice<UInt8>) -> String {
        if bytes.allSatisfy({ $0 == 0 }) { return "<zero>" }
        let text = Array(hex(bytes))
        return [0..<8, 8..<12, 12..<16, 16..<20, 20..<32].map { String(text[$0]) }.joined(separator: "-")
    }

    // MARK: System calls

    /// The file system mounted at `mountPoint` and its devices, or nil where that path is not
    /// the root of a subvolume (a bind mount of a directory inside one). The caller knows it
    /// is Btrfs from the mount table; on another file system FS_INFO fails with ENOTTY. Opened with O_NOATIME as node_exporter does: without
    /// the mount point's ownership (or CAP_FOWNER) that open fails, and the file system is
    /// reported from sysfs alone, as node_exporter reports it under the same user.
    static func devices(mountPoint: String) throws(BtrfsIoctlError) -> (info: FilesystemInfo, devices: [Device])? {
        let noAccessTime: Int32 = 0o1_000_000
        let fd = open(mountPoint, O_RDONLY | O_CLOEXEC | noAccessTime)
        guard fd >= 0 else { throw BtrfsIoctlError(path: mountPoint, call: "open", errno: errno) }
        defer { close(fd) }
        var status = stat()
        guard fstat(fd, &status) == 0 else { throw BtrfsIoctlError(path: mountPoint, call: "fstat", errno: errno) }
        guard status.st_mode & S_IFMT == S_IFDIR, UInt64(status.st_ino) == subvolumeRootInode else { return nil }

        var argument = [UInt8](repeating: 0, count: fsInfoSize)
        try call(fd, fsInfoRequest, &argument, path: mountPoint, name: "BTRFS_IOC_FS_INFO")
        let info = decodeFilesystemInfo(argument)
        var devices: [Device] = []
        var devid: UInt64 = 0
        while devid <= info.maxID && UInt64(devices.count) < info.deviceCount {
            defer { devid += 1 }
            argument = deviceInfoArgument(devid: devid)
            do {
                try call(fd, devInfoRequest, &argument, path: mountPoint, name: "BTRFS_IOC_DEV_INFO")
            } catch where error.errno == ENODEV {
                continue
            }
            let device = decodeDeviceInfo(argument)
            argument = deviceStatsArgument(devid: devid)
            try call(fd, getDevStatsRequest, &argument, path: mountPoint, name: "BTRFS_IOC_GET_DEV_STATS")
            devices.append(Device(info: device, errors: decodeDeviceStats(argument)))
        }
        return (info, devices)
    }

    private static func call(_ fd: Int32, _ request: UInt, _ argument: inout [UInt8], path: String, name: String) throws(BtrfsIoctlError) {
        let result = argument.withUnsafeMutableBytes { ioctl(fd, request, $0.baseAddress!) }
        if result != 0 { throw BtrfsIoctlError(path: path, call: name, errno: errno) }
    }
}
