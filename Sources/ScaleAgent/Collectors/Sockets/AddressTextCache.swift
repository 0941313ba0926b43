/// The text of each address met in one dump, made once: a host's thousands of sockets share a
/// handful of local and remote addresses, and formatting each socket's two anew was most of
/// the collector's own CPU time.
struct AddressTextCache {
    private struct RawAddress: Hashable {
        var high: UInt64
        var low: UInt64
        var length: Int
    }

    private var texts: [RawAddress: String] = [:]

    /// `SocketEndpoint.addressText` of 4 or 16 address bytes, from the cache when seen before.
    mutating func text(_ bytes: UnsafeRawBufferPointer) -> String? {
        guard bytes.count == 4 || bytes.count == 16 else { return nil }
        let key =
            bytes.count == 4
            ? RawAddress(high: 0, low: UInt64(bytes.loadUnaligned(as: UInt32.self)), length: 4)
            : RawAddress(
                high: bytes.loadUnaligned(as: UInt64.self), low: bytes.loadUnaligned(fromByteOffset: 8, as: UInt64.self), length: 16)
        if let known = texts[key] { return known }
        guard let text = SocketEndpoint.addressText(bytes) else { return nil }
        texts[key] = text
        return text
    }
}
