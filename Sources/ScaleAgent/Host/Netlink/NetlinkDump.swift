#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Runs netlink dumps: each request on one socket, its reply datagrams read until the decoder
/// sees NLMSG_DONE. Blocking, with a receive timeout, so it runs on a collector's thread. A
/// socket per call: nothing is held between collections, and a dump cannot read a previous
/// one's leftovers.
enum NetlinkDump {
    /// Replies stop after this many bytes: far beyond what a host's sockets or links take, and
    /// what stops a kernel that never says NLMSG_DONE.
    static let maximumReplyBytes = 256 << 20

    /// Sends each request in turn and hands every datagram of its reply to `receive` with the
    /// request's sequence number; `receive` returns true when the datagram ended the dump.
    static func run(
        protocol netlinkProtocol: Int32, requests: [(bytes: [UInt8], sequence: UInt32)], timeout: Duration,
        receive: (_ datagram: UnsafeRawBufferPointer, _ sequence: UInt32) throws(NetlinkError) -> Bool
    ) throws(NetlinkError) {
        #if os(Linux)
        let fd = socket(AF_NETLINK, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), netlinkProtocol)
        guard fd >= 0 else { throw .refused(errno: errno) }
        defer { close(fd) }
        var interval = timeval(tv_sec: Int(timeout.components.seconds), tv_usec: Int(timeout.components.attoseconds / 1_000_000_000_000))
        guard setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &interval, socklen_t(MemoryLayout<timeval>.size)) == 0 else {
            throw .refused(errno: errno)
        }
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        for request in requests {
            // Unbound and unconnected, a netlink socket sends to the kernel (port id 0).
            let sent = request.bytes.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, 0) }
            guard sent == request.bytes.count else { throw .refused(errno: sent < 0 ? errno : EMSGSIZE) }
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
                let done = try buffer.withUnsafeBytes { bytes in
                    Result { () throws(NetlinkError) in
                        try receive(UnsafeRawBufferPointer(rebasing: bytes[..<count]), request.sequence)
                    }
                }.get()
                if done { break }
            }
        }
        #else
        throw .refused(errno: EAFNOSUPPORT)
        #endif
    }
}
