/// TCP sockets in LISTEN state, read from `/proc/net/tcp` and `/proc/net/tcp6`.
///
/// Each line after the header is `sl local_address rem_address st …`; `local_address` is the
/// address as the kernel stores it, printed as 32-bit words in host byte order (little-endian
/// on every Linux this runs on), then `:` and the port in hex; `st` 0A is LISTEN.
enum ListeningSockets {
    struct Socket: Sendable, Equatable {
        /// 4 or 16 bytes, network order.
        var address: [UInt8]
        var port: Int
    }

    /// The listening sockets of one file's text; lines that are not sockets are skipped.
    static func parse(_ text: String) -> [Socket] {
        var sockets: [Socket] = []
        for line in text.split(separator: "\n").dropFirst() {
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            guard fields.count > 3, fields[3] == "0A" else { continue }
            let local = fields[1].split(separator: ":")
            guard local.count == 2, let port = Int(local[1], radix: 16), let address = addressBytes(local[0]) else { continue }
            sockets.append(Socket(address: address, port: port))
        }
        return sockets
    }

    /// Hex words in host order to network-order bytes: each group of 8 hex digits is one
    /// little-endian 32-bit word.
    static func addressBytes(_ hex: Substring) -> [UInt8]? {
        guard hex.count == 8 || hex.count == 32 else { return nil }
        var bytes: [UInt8] = []
        var index = hex.startIndex
        while index < hex.endIndex {
            let end = hex.index(index, offsetBy: 8)
            guard let word = UInt32(hex[index..<end], radix: 16) else { return nil }
            bytes += [UInt8(word & 0xff), UInt8(word >> 8 & 0xff), UInt8(word >> 16 & 0xff), UInt8(word >> 24)]
            index = end
        }
        return bytes
    }

    /// The sockets listening on `port`, from both files under `procRoot`; a missing file
    /// (no IPv6) contributes nothing.
    static func read(port: Int, procRoot: String = "/proc") -> [Socket] {
        ["tcp", "tcp6"].flatMap { name in
            ((try? FileReading.string(atPath: "\(procRoot)/net/\(name)")).map(parse) ?? []).filter { $0.port == port }
        }
    }
}
