/// Where the collectors find the host's /proc, /sys and root file system. Injectable so that
/// tests run the collectors on fixture trees, and so that a containerised agent can read the
/// host's trees mounted elsewhere (node_exporter's `--path.procfs` and friends).
public struct HostPaths: Sendable, Equatable {
    public var procfs: String
    public var sysfs: String
    public var rootfs: String
    /// udev's device database, for disk identity labels (model, serial, wwn).
    public var udevData: String

    public init(procfs: String = "/proc", sysfs: String = "/sys", rootfs: String = "/", udevData: String = "/run/udev/data") {
        self.procfs = procfs
        self.sysfs = sysfs
        self.rootfs = rootfs
        self.udevData = udevData
    }

    public func proc(_ relative: String) -> String { join(procfs, relative) }
    public func sys(_ relative: String) -> String { join(sysfs, relative) }
    /// A file of the host's root file system, such as etc/os-release.
    public func root(_ relative: String) -> String { join(rootfs, relative) }

    private func join(_ root: String, _ relative: String) -> String {
        root.hasSuffix("/") ? root + relative : root + "/" + relative
    }
}
