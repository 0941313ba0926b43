#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Dumps the host's TCP sockets through a NETLINK_SOCK_DIAG socket (what `ss` uses): one
/// request per address family, replies read until NLMSG_DONE. Blocking, with a receive
/// timeout, so it runs on the collector's thread. A socket per dump: nothing is held
/// between collections, and a dump cannot read a previous one's leftovers.
public enum SockDiagSocket {
    static let netlinkSockDiag: Int32 = 4
    /// Replies stop after this many bytes; far beyond a host's sockets (about 300 bytes each),
    /// and what stops a kernel that never says NLMSG_DONE.
    static let maximumReplyBytes = 256 << 20

    public static func dump(
        families: [SockDiagMessage.Family] = [.inet, .inet6], states: Set<TCPState> = Set(TCPState.allCases),
        timeout: Duration = .seconds(5)
    ) throws(SockDiagError) -> [InetSocket] {
        #if os(Linux)
        let fd = socket(AF_NETLINK, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), netlinkSockDiag)
        guard fd >= 0 else { throw .refused(errno: errno) }
        defer { close(fd) }
        var interval = timeval(tv_sec: Int(timeout.components.seconds), tv_usec: Int(timeout.components.attoseconds / 1_000_000_000_000))
        guard setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &interval, socklen_t(MemoryLayout<timeval>.size)) == 0 else {
            throw .refused(errno: errno)
        }
        var sockets: [InetSocket] = []
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        var addresses = AddressTextCache()
        for (index, family) in families.enumerated() {
            let sequence = UInt32(index + 1)
            let request = SockDiagMessage.dumpRequest(family: family, states: states, sequence: sequence)
            // Unbound and unconnected, a netlink socket sends to the kernel (port id 0).
            let sent = request.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, 0) }
            guard sent == request.count else { throw .refused(errno: sent < 0 ? errno : EMSGSIZE) }
            var received = 0
            while true {
                let count = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
                if count < 0 {
                    if errno == EINTR { continue }
                    throw errno == EAGAIN || errno == EWOULDBLOCK
                        ? .malformed("no NLMSG_DONE within \(timeout)") : .refused(errno: errno)
                }
                received += count
                guard count > 0, received <= maximumReplyBytes else {
                    throw .malformed(count == 0 ? "the kernel closed the socket mid-dump" : "more than \(maximumReplyBytes) bytes")
                }
                let batch = try buffer.withUnsafeBytes { bytes in
                    Result { () throws(SockDiagError) in
                        try SockDiagMessage.decode(
                            UnsafeRawBufferPointer(rebasing: bytes[..<count]), sequence: sequence, addresses: &addresses)
                    }
                }.get()
                sockets += batch.sockets
                if batch.done { break }
            }
        }
        return sockets
        #else
        throw .refused(errno: EAFNOSUPPORT)
        #endif
    }
}
