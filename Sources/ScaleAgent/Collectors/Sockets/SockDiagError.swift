#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Why a sock_diag dump failed: the kernel (or a seccomp filter, or a missing module) said no,
/// which sends the collector to /proc/net/tcp; or its reply did not parse, which is an error.
public enum SockDiagError: Error, Equatable, CustomStringConvertible {
    case refused(errno: Int32)
    case malformed(String)

    public var description: String {
        switch self {
        case .refused(let errno): "sock_diag: \(String(cString: strerror(errno)))"
        case .malformed(let message): "sock_diag reply: \(message)"
        }
    }
}
