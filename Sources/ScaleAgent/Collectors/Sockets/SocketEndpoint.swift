#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// An IPv4 or IPv6 address and a port, printed without any name lookup: `10.0.0.5`, `::1`,
/// `::ffff:10.0.0.5` (an IPv4 peer of a dual-stack socket, as the kernel keeps it).
public struct SocketEndpoint: Sendable, Hashable, Comparable {
    public var address: String
    public var port: UInt16

    public init(address: String, port: UInt16) {
        self.address = address
        self.port = port
    }

    /// `address:port`, with IPv6 addresses in brackets as in URLs: `[::1]:5432`.
    public var description: String {
        address.utf8.contains(UInt8(ascii: ":")) ? "[\(address)]:\(port)" : "\(address):\(port)"
    }

    public static func < (lhs: SocketEndpoint, rhs: SocketEndpoint) -> Bool {
        (lhs.port, lhs.address) < (rhs.port, rhs.address)
    }

    /// The text form of 4 (IPv4) or 16 (IPv6) address bytes in network order; nil for any
    /// other length.
    static func addressText(_ bytes: some Collection<UInt8>) -> String? {
        guard bytes.count == 4 || bytes.count == 16 else { return nil }
        let raw = Array(bytes)
        if raw.count == 4 { return "\(raw[0]).\(raw[1]).\(raw[2]).\(raw[3])" }
        var text = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
        let ok = raw.withUnsafeBytes { source in
            text.withUnsafeMutableBufferPointer { inet_ntop(AF_INET6, source.baseAddress, $0.baseAddress, socklen_t($0.count)) != nil }
        }
        guard ok else { return nil }
        return String(decoding: text.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
