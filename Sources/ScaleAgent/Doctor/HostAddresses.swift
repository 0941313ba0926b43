#if canImport(Glibc)
import Glibc
#endif

/// The host's own interface addresses (getifaddrs): what a socket bound to a wildcard
/// address can be reached at.
enum HostAddresses {
    static func read() -> [[UInt8]] {
        var first: UnsafeMutablePointer<ifaddrs>?
        guard getifaddrs(&first) == 0 else { return [] }
        defer { freeifaddrs(first) }
        var addresses: [[UInt8]] = []
        var cursor = first
        while let entry = cursor {
            defer { cursor = entry.pointee.ifa_next }
            guard let address = entry.pointee.ifa_addr else { continue }
            switch Int32(address.pointee.sa_family) {
            case AF_INET:
                address.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { v4 in
                    addresses.append(withUnsafeBytes(of: v4.pointee.sin_addr) { Array($0) })
                }
            case AF_INET6:
                address.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { v6 in
                    addresses.append(withUnsafeBytes(of: v6.pointee.sin6_addr) { Array($0) })
                }
            default:
                continue
            }
        }
        return addresses
    }
}
