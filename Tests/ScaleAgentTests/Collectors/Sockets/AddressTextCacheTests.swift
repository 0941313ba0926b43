import Testing

@testable import ScaleAgent

@Suite struct AddressTextCacheTests {
    /// The cache answers what formatting answers, for both lengths, the first time and after;
    /// an IPv4 address and the first four bytes of an IPv6 one are different keys.
    @Test func answersAsAddressTextDoes() {
        var cache = AddressTextCache()
        let addresses: [[UInt8]] = [
            [127, 0, 0, 1], [10, 0, 0, 5],
            [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1],
            [127, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0],
            [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 10, 0, 0, 5],
        ]
        for _ in 0..<2 {
            for bytes in addresses {
                let cached = bytes.withUnsafeBytes { cache.text($0) }
                #expect(cached == SocketEndpoint.addressText(bytes), "\(bytes)")
            }
        }
        #expect([UInt8](repeating: 0, count: 5).withUnsafeBytes { cache.text($0) } == nil)
    }
}
