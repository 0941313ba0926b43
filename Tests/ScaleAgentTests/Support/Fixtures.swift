import ScaleAgent

/// The fixture /proc and /sys trees beside the tests, found from this file's path so that no
/// resource bundle (and no Foundation) is needed.
enum Fixtures {
    static let directory: String = {
        let file = "\(#filePath)"
        let support = file[..<file.lastIndex(of: "/")!]
        let tests = support[..<support.lastIndex(of: "/")!]
        return tests + "/Fixtures"
    }()

    static let paths = HostPaths(procfs: directory + "/proc", sysfs: directory + "/sys", rootfs: directory + "/rootfs",
        udevData: directory + "/udev/data")
}
