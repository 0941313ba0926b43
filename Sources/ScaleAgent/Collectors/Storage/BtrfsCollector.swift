#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import MetricStore

/// Btrfs file systems under node_exporter's `btrfs` names: from /sys/fs/btrfs/<fsid>/ the
/// label, global reserve and, per block group type and RAID profile, the space allocated and
/// used (`node_btrfs_size_bytes`, `node_btrfs_used_bytes`: metadata running full fails
/// writes while `df` still shows free space); from the file systems' ioctls, for each mounted
/// one, its devices' sizes, unallocated bytes and error counters
/// (`node_btrfs_device_errors_total{type}`: a disk starting to fail). Where the ioctls are
/// not allowed, devices come from sysfs without `btrfs_dev_uuid` and errors, as in
/// node_exporter 1.5. Skipped without Btrfs.
public struct BtrfsCollector: Collector {
    public let name = "btrfs"
    private let paths: HostPaths

    public init(paths: HostPaths) { self.paths = paths }

    public func collect(into metrics: inout MetricsBuilder) throws {
        let root = paths.sys("fs/btrfs")
        // File systems are named by fsid; `features` lists what the module supports.
        guard let fsids = try FileReading.directoryEntries(atPath: root)?.filter({ $0.contains("-") }), !fsids.isEmpty else {
            return
        }
        // As in node_exporter, a mount table that cannot be read only costs the ioctl part.
        let devicesByFSID = (try? ioctlDevices()) ?? [:]
        for fsid in fsids {
            let filesystem = try BtrfsSysfs.read(root + "/" + fsid, fsid: fsid)
            let key = String(filesystem.uuid.filter { $0 != "-" })
            emit(filesystem, devices: devicesByFSID[key], into: &metrics)
        }
    }

    private func emit(_ filesystem: BtrfsSysfs, devices: [BtrfsIoctl.Device]?, into metrics: inout MetricsBuilder) {
        let uuid = filesystem.uuid
        metrics.add("node_btrfs_info", "Filesystem information", .gauge, 1, labels: Labels(["uuid": uuid, "label": filesystem.label]))
        metrics.add(
            "node_btrfs_global_rsv_size_bytes", "Size of global reserve.", .gauge, Double(filesystem.globalReserveBytes),
            labels: Labels(["uuid": uuid]))
        for group in filesystem.blockGroups {
            metrics.add(
                "node_btrfs_reserved_bytes", "Amount of space reserved for a data type", .gauge, Double(group.reservedBytes),
                labels: Labels(["uuid": uuid, "block_group_type": group.type]))
            for profile in group.profiles {
                let labels = Labels(["uuid": uuid, "block_group_type": group.type, "mode": profile.mode])
                metrics.add("node_btrfs_used_bytes", "Amount of used space by a layout/data type", .gauge, Double(profile.usedBytes), labels: labels)
                metrics.add(
                    "node_btrfs_size_bytes", "Amount of space allocated for a layout/data type", .gauge, Double(profile.totalBytes),
                    labels: labels)
                metrics.add("node_btrfs_allocation_ratio", "Data allocation ratio for a layout/data type", .gauge, profile.ratio, labels: labels)
            }
        }
        let sizeHelp = "Size of a device that is part of the filesystem."
        guard let devices else {
            for device in filesystem.devices {
                metrics.add(
                    "node_btrfs_device_size_bytes", sizeHelp, .gauge, Double(device.bytes),
                    labels: Labels(["uuid": uuid, "device": device.name]))
            }
            return
        }
        for device in devices {
            // `/dev/sda` → `sda`, the name sysfs uses.
            let name = String(device.info.path.split(separator: "/").last ?? "")
            let labels = Labels(["uuid": uuid, "device": name, "btrfs_dev_uuid": device.info.uuid])
            metrics.add("node_btrfs_device_size_bytes", sizeHelp, .gauge, Double(device.info.totalBytes), labels: labels)
            let unused = device.info.totalBytes >= device.info.bytesUsed ? device.info.totalBytes - device.info.bytesUsed : 0
            metrics.add(
                "node_btrfs_device_unused_bytes", "Unused bytes unused on a device that is part of the filesystem.", .gauge,
                Double(unused), labels: labels)
            let errors = device.errors
            for (type, count) in [
                ("write", errors.write), ("read", errors.read), ("flush", errors.flush), ("corruption", errors.corruption),
                ("generation", errors.generation),
            ] {
                metrics.add(
                    "node_btrfs_device_errors_total", "Errors reported for the device", .counter, Double(count),
                    labels: labels.adding("type", type))
            }
        }
    }

    /// Devices of every mounted Btrfs file system, by fsid without dashes. A mount point
    /// that cannot be opened or queried is passed over: another mount of the same file
    /// system may work, and otherwise sysfs stands in, as in node_exporter.
    private func ioctlDevices() throws -> [String: [BtrfsIoctl.Device]] {
        let (text, file) = try paths.readHostMounts()
        var result: [String: [BtrfsIoctl.Device]] = [:]
        var devicesDone = Set<String>()
        for mount in try FilesystemCollector.parse(text, file: file) where mount.fsType == "btrfs" {
            guard !devicesDone.contains(mount.device) else { continue }
            let path = FilesystemCollector.statPath(rootfs: paths.rootfs, mountPoint: mount.mountPoint)
            guard let (info, devices) = try? BtrfsIoctl.devices(mountPoint: path), result[info.fsid] == nil else { continue }
            devicesDone.insert(mount.device)
            result[info.fsid] = devices
        }
        return result
    }
}
