#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Why a netlink dump failed: the kernel (or a seccomp filter, or a missing module) said no,
/// which sends a collector to its file-based fallback; or its reply did not parse, which is an
/// error.
public enum NetlinkError: Error, Equatable, CustomStringConvertible {
    case refused(errno: Int32)
    case malformed(String)

    public var description: String {
        switch self {
        case .refused(let errno): "netlink: \(String(cString: strerror(errno)))"
        case .malformed(let message): "netlink reply: \(message)"
        }
    }
}
