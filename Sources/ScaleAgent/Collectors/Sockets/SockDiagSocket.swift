/// Dumps the host's TCP sockets through a NETLINK_SOCK_DIAG socket (what `ss` uses): one
/// request per address family, replies read until NLMSG_DONE (`NetlinkDump`).
public enum SockDiagSocket {
    static let netlinkSockDiag: Int32 = 4

    public static func dump(
        families: [SockDiagMessage.Family] = [.inet, .inet6], states: Set<TCPState> = Set(TCPState.allCases),
        timeout: Duration = .seconds(5)
    ) throws(NetlinkError) -> [InetSocket] {
        let requests = families.enumerated().map { index, family in
            let sequence = UInt32(index + 1)
            return (SockDiagMessage.dumpRequest(family: family, states: states, sequence: sequence), sequence)
        }
        var sockets: [InetSocket] = []
        var addresses = AddressTextCache()
        try NetlinkDump.run(protocol: netlinkSockDiag, requests: requests, timeout: timeout) { datagram, sequence throws(NetlinkError) in
            let batch = try SockDiagMessage.decode(datagram, sequence: sequence, addresses: &addresses)
            sockets += batch.sockets
            return batch.done
        }
        return sockets
    }
}
