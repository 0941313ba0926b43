#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// One real server behind an IPVS virtual service, from /proc/net/ip_vs
/// (net/netfilter/ipvs/ip_vs_ctl.c, ip_vs_info_seq_show):
///
///     IP Virtual Server version 1.2.1 (size=4096)
///     Prot LocalAddress:Port Scheduler Flags
///       -> RemoteAddress:Port Forward Weight ActiveConn InActConn
///     TCP  C0A80016:0CEA wlc
///       -> C0A85216:0CEA      Tunnel  100    248        2
///     TCP  [2620:0000:0000:0000:0000:0000:0000:0001]:0050 sh
///       -> [2620:0000:0000:0000:0000:0000:0000:0002]:0050      Route   1      0          0
///     FWM  10001000 wlc
///       -> C0A8321A:0CEA      Route   0      0          1
///
/// A service line names the protocol (TCP, UDP, SCTP) and the virtual address in hex
/// (IPv4 as 8 digits, IPv6 in brackets) with the port in hex, or `FWM` and a firewall mark;
/// the `->` lines under it are its real servers: address, forwarding method, weight, active
/// and inactive connections. Flags such as `persistent 360` may follow a service.
struct IPVSBackend: Equatable {
    /// Empty for a firewall-mark service.
    var localAddress: String
    var localPort: UInt16
    /// The firewall mark as the kernel prints it (hex); empty for an address service.
    var localMark: String
    var remoteAddress: String
    var remotePort: UInt16
    /// TCP, UDP, SCTP or FWM.
    var proto: String
    var weight: UInt64
    var activeConnections: UInt64
    var inactiveConnections: UInt64

    static func parseAll(_ text: String, file: String) throws(ParseError) -> [IPVSBackend] {
        var backends: [IPVSBackend] = []
        var service: (proto: String, address: String, port: UInt16, mark: String)?
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
            guard let first = fields.first else { continue }
            let number = index + 1
            if first == "IP" || first == "Prot" || (fields.count > 1 && fields[1] == "RemoteAddress:Port") { continue }
            switch first {
            case "TCP", "UDP", "SCTP":
                guard fields.count >= 2 else {
                    throw ParseError(file: file, line: number, "expected '\(first) <address>:<port> <scheduler>'")
                }
                guard let (address, port) = endpoint(fields[1]) else {
                    throw ParseError(file: file, line: number, "expected a hex address:port, found '\(fields[1].prefix(60))'")
                }
                service = (String(first), address, port, "")
            case "FWM":
                guard fields.count >= 2 else {
                    throw ParseError(file: file, line: number, "expected 'FWM <mark> <scheduler>'")
                }
                service = ("FWM", "", 0, String(fields[1]))
            case "->":
                guard let current = service else {
                    throw ParseError(file: file, line: number, "expected a service line before this real server")
                }
                guard fields.count >= 6 else {
                    throw ParseError(
                        file: file, line: number,
                        "expected '-> <address>:<port> <forward> <weight> <active> <inactive>', found \(fields.count) fields")
                }
                guard let (address, port) = endpoint(fields[1]) else {
                    throw ParseError(file: file, line: number, "expected a hex address:port, found '\(fields[1].prefix(60))'")
                }
                var numbers: [UInt64] = []
                for field in fields[3...5] {
                    guard let value = UInt64(field) else {
                        throw ParseError(file: file, line: number, "expected weight and connection counts, found '\(field.prefix(40))'")
                    }
                    numbers.append(value)
                }
                backends.append(
                    IPVSBackend(
                        localAddress: current.address, localPort: current.port, localMark: current.mark, remoteAddress: address,
                        remotePort: port, proto: current.proto, weight: numbers[0], activeConnections: numbers[1],
                        inactiveConnections: numbers[2]))
            default:
                throw ParseError(file: file, line: number, "expected a service (TCP, UDP, SCTP, FWM) or '->' line, found '\(first.prefix(40))'")
            }
        }
        return backends
    }

    /// `C0A80016:0CEA` → ("192.168.0.22", 3306); `[2620:0:…:1]:0050` → ("2620::1", 80), in the
    /// text form Go's net.IP gives (node_exporter's label values).
    static func endpoint(_ text: Substring) -> (String, UInt16)? {
        guard let colon = text.lastIndex(of: ":") else { return nil }
        let portDigits = text[text.index(after: colon)...]
        guard !portDigits.isEmpty, portDigits.allSatisfy(\.isHexDigit), let port = UInt16(portDigits, radix: 16) else {
            return nil
        }
        let host = text[..<colon]
        if host.hasPrefix("[") && host.hasSuffix("]") {
            var bytes = [UInt8](repeating: 0, count: 16)
            let ok = String(host.dropFirst().dropLast()).withCString { inet_pton(AF_INET6, $0, &bytes) == 1 }
            guard ok else { return nil }
            // Go prints an IPv4-mapped address in dotted form.
            if bytes[0..<10].allSatisfy({ $0 == 0 }) && bytes[10] == 0xff && bytes[11] == 0xff {
                return SocketEndpoint.addressText(bytes[12..<16]).map { ($0, port) }
            }
            guard let address = SocketEndpoint.addressText(bytes) else { return nil }
            return (address, port)
        }
        guard host.count == 8, host.allSatisfy(\.isHexDigit), let value = UInt32(host, radix: 16) else { return nil }
        let bytes = [UInt8(value >> 24), UInt8(value >> 16 & 0xff), UInt8(value >> 8 & 0xff), UInt8(value & 0xff)]
        return (SocketEndpoint.addressText(bytes) ?? "", port)
    }
}
