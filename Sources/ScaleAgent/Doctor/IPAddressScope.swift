#if canImport(Glibc)
import Glibc
#endif

/// Who can reach an address: only this host, a private network, or anyone routed to it.
/// A wildcard (`0.0.0.0`, `::`) is every address of the host at once.
enum IPAddressScope: String, Sendable, Equatable {
    case loopback
    /// RFC 1918, link-local, carrier-grade NAT (RFC 6598), IPv6 unique-local and link-local.
    case privateNetwork = "private"
    case wildcard
    case publicAddress = "public"

    /// The scope of an address given as 4 or 16 bytes in network order.
    static func of(bytes: [UInt8]) -> IPAddressScope {
        if bytes.count == 16 {
            if bytes.allSatisfy({ $0 == 0 }) { return .wildcard }
            if bytes[0..<15].allSatisfy({ $0 == 0 }) && bytes[15] == 1 { return .loopback }
            // IPv4-mapped (::ffff:a.b.c.d): the IPv4 address decides.
            if bytes[0..<10].allSatisfy({ $0 == 0 }) && bytes[10] == 0xff && bytes[11] == 0xff {
                return of(bytes: Array(bytes[12..<16]))
            }
            if bytes[0] & 0xfe == 0xfc { return .privateNetwork }
            if bytes[0] == 0xfe && bytes[1] & 0xc0 == 0x80 { return .privateNetwork }
            return .publicAddress
        }
        guard bytes.count == 4 else { return .publicAddress }
        switch (bytes[0], bytes[1]) {
        case (0, _) where bytes == [0, 0, 0, 0]: return .wildcard
        case (127, _): return .loopback
        case (10, _), (192, 168), (169, 254): return .privateNetwork
        case (172, let second) where (16...31).contains(second): return .privateNetwork
        case (100, let second) where (64...127).contains(second): return .privateNetwork
        default: return .publicAddress
        }
    }

    /// The bytes of a numeric IPv4 or IPv6 address; nil for anything else (a host name).
    static func bytes(of text: String) -> [UInt8]? {
        var trimmed = Substring(text)
        if trimmed.hasPrefix("[") && trimmed.hasSuffix("]") { trimmed = trimmed.dropFirst().dropLast() }
        var v4 = in_addr()
        if inet_pton(AF_INET, String(trimmed), &v4) == 1 {
            return withUnsafeBytes(of: v4) { Array($0) }
        }
        var v6 = in6_addr()
        if inet_pton(AF_INET6, String(trimmed), &v6) == 1 {
            return withUnsafeBytes(of: v6) { Array($0) }
        }
        return nil
    }

    /// The text of 4 or 16 bytes, as inet_ntop writes it.
    static func text(of bytes: [UInt8]) -> String {
        let family = bytes.count == 4 ? AF_INET : AF_INET6
        var buffer = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
        let ok = bytes.withUnsafeBytes { raw in inet_ntop(family, raw.baseAddress, &buffer, socklen_t(buffer.count)) != nil }
        return ok ? String(decoding: buffer.prefix(while: { $0 != 0 }).map { UInt8(bitPattern: $0) }, as: UTF8.self) : bytes.map(String.init).joined(separator: ".")
    }
}
