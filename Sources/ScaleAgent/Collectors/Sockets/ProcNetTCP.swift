/// The fallback when sock_diag is refused: /proc/net/tcp and tcp6, a header and one socket per
/// line:
///
///     sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
///      0: 0100007F:1F90 00000000:0000 0A 00000000:00000003 00:00000000 00000000     0        0 20513 …
///
/// Addresses are the in-memory (network order) bytes printed as 32-bit words in host order,
/// `%08X` each (one word for IPv4, four for IPv6); ports are `%04X`; `st` is the TCP state.
/// For a listener `rx_queue` is the accept queue; the backlog is not shown, nor the RTT.
public enum ProcNetTCP {
    public static func parse(_ text: String, file: String) throws(ParseError) -> [InetSocket] {
        var sockets: [InetSocket] = []
        for (index, line) in text.splitASCII(UInt8(ascii: "\n")).enumerated() {
            let columns = line.splitASCIIWhitespace()
            if index == 0 {
                guard columns.first == "sl" else { throw ParseError(file: file, line: 1, "expected a header starting with 'sl'") }
                continue
            }
            guard columns.count >= 10 else {
                throw ParseError(file: file, line: index + 1, "expected at least 10 columns, found \(columns.count)")
            }
            guard let local = endpoint(columns[1]), let remote = endpoint(columns[2]) else {
                throw ParseError(
                    file: file, line: index + 1, "expected addresses as hexadecimal ADDRESS:PORT, found '\(columns[1])' '\(columns[2])'")
            }
            guard let rawState = UInt8(columns[3], radix: 16) else {
                throw ParseError(file: file, line: index + 1, "expected a hexadecimal state, found '\(columns[3])'")
            }
            let queues = columns[4].splitASCII(UInt8(ascii: ":"), omittingEmptySubsequences: false)
            guard queues.count == 2, let transmit = UInt32(queues[0], radix: 16), let receive = UInt32(queues[1], radix: 16) else {
                throw ParseError(file: file, line: index + 1, "expected 'tx_queue:rx_queue' in hexadecimal, found '\(columns[4])'")
            }
            guard let inode = UInt32(columns[9]) else {
                throw ParseError(file: file, line: index + 1, "expected a decimal inode, found '\(columns[9])'")
            }
            // A state this code does not know (a newer kernel) is left out, as in sock_diag.
            guard let state = TCPState(rawValue: rawState) else { continue }
            sockets.append(
                InetSocket(
                    state: state, local: local, remote: remote, receiveQueue: receive,
                    sendQueue: state == .listen ? nil : transmit, inode: inode))
        }
        return sockets
    }

    /// `0100007F:1F90` → 127.0.0.1:8080; `…32 hex digits…:0050` → an IPv6 address, port 80.
    static func endpoint(_ text: Substring) -> SocketEndpoint? {
        let parts = text.splitASCII(UInt8(ascii: ":"), omittingEmptySubsequences: false)
        guard parts.count == 2, parts[0].utf8.count == 8 || parts[0].utf8.count == 32, let port = UInt16(parts[1], radix: 16)
        else { return nil }
        var bytes: [UInt8] = []
        var word = parts[0].startIndex
        while word < parts[0].endIndex {
            let end = parts[0].index(word, offsetBy: 8)
            guard let value = UInt32(parts[0][word..<end], radix: 16) else { return nil }
            // The kernel printed the word in host order; its bytes in memory are the address.
            withUnsafeBytes(of: value) { bytes += $0 }
            word = end
        }
        return SocketEndpoint.addressText(bytes).map { SocketEndpoint(address: $0, port: port) }
    }
}
