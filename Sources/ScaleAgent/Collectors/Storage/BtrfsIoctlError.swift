#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// A Btrfs ioctl or the open before it failed on a mount point.
struct BtrfsIoctlError: Error, CustomStringConvertible {
    var path: String
    var call: String
    var errno: Int32

    var description: String { "\(path): \(call): \(String(cString: strerror(errno)))" }
}
