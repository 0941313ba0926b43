#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// One Btrfs file system as /sys/fs/btrfs/<fsid>/ describes it (fs/btrfs/sysfs.c): its
/// label, member devices with their sizes in 512-byte sectors (`devices/<name>/size`), the
/// global reserve, and per block group type (`allocation/{data,metadata,system}`) the bytes
/// reserved and per RAID profile directory (`single`, `dup`, `raid1`, …) the bytes allocated
/// (`total_bytes`) and used. Every value file holds one decimal number.
struct BtrfsSysfs: Equatable {
    var uuid: String
    var label: String
    var devices: [Device]
    var globalReserveBytes: UInt64
    var blockGroups: [BlockGroup]

    struct BlockGroup: Equatable {
        /// `data`, `metadata` or `system`.
        var type: String
        var reservedBytes: UInt64
        var profiles: [Profile]
    }

    struct Profile: Equatable {
        /// The RAID profile: `single`, `dup`, `raid0`, `raid1`, `raid1c3`, `raid10`, …
        var mode: String
        var totalBytes: UInt64
        var usedBytes: UInt64
        /// Raw bytes written per byte stored.
        var ratio: Double
    }

    struct Device: Equatable {
        /// As under `devices/`: the block device's kernel name.
        var name: String
        var bytes: UInt64
    }

    static let blockGroupTypes = ["data", "metadata", "system"]

    /// Reads the file system under `directory`, named `fsid`. The UUID is `metadata_uuid`
    /// where the kernel has it (it differs from the fsid after `btrfstune -m`), as in
    /// node_exporter. A missing value file reads as 0 (kernels add files over time).
    static func read(_ directory: String, fsid: String) throws -> BtrfsSysfs {
        let devicesDirectory = directory + "/devices"
        guard let deviceNames = try FileReading.directoryEntries(atPath: devicesDirectory) else {
            throw FileReadError(path: devicesDirectory, errno: ENOENT)
        }
        var devices: [Device] = []
        for name in deviceNames {
            let sectors = try number(devicesDirectory + "/" + name + "/size")
            let (bytes, overflow) = sectors.multipliedReportingOverflow(by: 512)
            guard !overflow else {
                throw ParseError(file: devicesDirectory + "/" + name + "/size", line: 1, "\(sectors) sectors do not fit in 64 bits of bytes")
            }
            devices.append(Device(name: name, bytes: bytes))
        }
        var groups: [BlockGroup] = []
        for type in blockGroupTypes {
            let groupDirectory = directory + "/allocation/" + type
            guard let entries = try FileReading.directoryEntries(atPath: groupDirectory) else { continue }
            var profiles: [Profile] = []
            // Profiles are the subdirectories; the rest are value files.
            for mode in entries where try FileReading.directoryEntries(atPath: groupDirectory + "/" + mode) != nil {
                profiles.append(Profile(
                    mode: mode, totalBytes: try number(groupDirectory + "/" + mode + "/total_bytes"),
                    usedBytes: try number(groupDirectory + "/" + mode + "/used_bytes"),
                    ratio: ratio(mode: mode, devices: devices.count)))
            }
            groups.append(BlockGroup(type: type, reservedBytes: try number(groupDirectory + "/bytes_reserved"), profiles: profiles))
        }
        let metadataUUID = try text(directory + "/metadata_uuid")
        return BtrfsSysfs(
            uuid: metadataUUID.isEmpty ? fsid : metadataUUID, label: try text(directory + "/label"), devices: devices,
            globalReserveBytes: try number(directory + "/allocation/global_rsv_size"), blockGroups: groups)
    }

    /// Copies kept of each block: RAID5 and RAID6 spend one and two devices' worth on parity.
    static func ratio(mode: String, devices: Int) -> Double {
        switch mode {
        case "single", "raid0": return 1
        case "dup", "raid1", "raid10": return 2
        case "raid1c3": return 3
        case "raid1c4": return 4
        case "raid5" where devices > 1: return Double(devices) / Double(devices - 1)
        case "raid6" where devices > 2: return Double(devices) / Double(devices - 2)
        default: return 0
        }
    }

    /// A value file: one unsigned decimal number.
    static func parseNumber(_ text: String, file: String) throws(ParseError) -> UInt64 {
        let fields = text.splitASCIIWhitespace().flatMap { $0.splitASCII(UInt8(ascii: "\n")) }
        guard fields.count == 1, let value = UInt64(fields[0]) else {
            throw ParseError(file: file, line: 1, "expected an unsigned integer, found '\(text.prefix(40))'")
        }
        return value
    }

    private static func number(_ path: String) throws -> UInt64 {
        guard let text = try FileReading.optionalString(atPath: path) else { return 0 }
        return try parseNumber(text, file: path)
    }

    private static func text(_ path: String) throws -> String {
        guard let text = try FileReading.optionalString(atPath: path) else { return "" }
        var trimmed = Substring(text)
        while let last = trimmed.last, last == "\n" || last == " " { trimmed.removeLast() }
        return String(trimmed)
    }
}
