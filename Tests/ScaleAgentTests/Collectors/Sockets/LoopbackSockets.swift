#if canImport(Glibc)
import Glibc
#endif

/// Real TCP sockets on 127.0.0.1 for the sockets collector's tests: a listener (which never
/// accepts unless asked), non-blocking clients, and the descriptors closed on deinit.
final class LoopbackSockets {
    private var descriptors: [Int32] = []

    deinit { for fd in descriptors { close(fd) } }

    /// A listener on 127.0.0.1 at a free port, with `backlog`; returns its descriptor and port.
    func listen(backlog: Int32) throws -> (fd: Int32, port: UInt16) {
        let fd = try check(socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0), "socket")
        descriptors.append(fd)
        var address = Self.loopback(port: 0)
        try withUnsafePointer(to: &address) { pointer in
            try pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                _ = try check(bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)), "bind")
            }
        }
        _ = try check(Glibc.listen(fd, backlog), "listen")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        try withUnsafeMutablePointer(to: &address) { pointer in
            try pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { _ = try check(getsockname(fd, $0, &length), "getsockname") }
        }
        return (fd, UInt16(bigEndian: address.sin_port))
    }

    /// Starts a non-blocking connect to 127.0.0.1:`port`; the handshake finishes (or not) in
    /// the kernel.
    @discardableResult
    func connect(to port: UInt16) throws -> Int32 {
        let fd = try check(socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue), 0), "socket")
        descriptors.append(fd)
        var address = Self.loopback(port: port)
        let result = withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        if result != 0 && errno != EINPROGRESS { throw SocketFailure(call: "connect", errno: errno) }
        return fd
    }

    /// Accepts one waiting connection on `listener`, blocking.
    func accept(_ listener: Int32) throws {
        descriptors.append(try check(Glibc.accept(listener, nil, nil), "accept"))
    }

    func close(_ fd: Int32) {
        descriptors.removeAll { $0 == fd }
        _ = Glibc.close(fd)
    }

    private static func loopback(port: UInt16) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr.s_addr = UInt32(0x7F00_0001).bigEndian
        return address
    }

    private func check(_ result: Int32, _ call: String) throws -> Int32 {
        guard result >= 0 else { throw SocketFailure(call: call, errno: errno) }
        return result
    }

    struct SocketFailure: Error, CustomStringConvertible {
        let call: String
        let errno: Int32
        var description: String { "\(call): \(String(cString: strerror(errno)))" }
    }
}
