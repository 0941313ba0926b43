// The netlink sock_diag messages the sockets collector exchanges with the kernel
// (NETLINK_SOCK_DIAG; linux/netlink.h, linux/sock_diag.h, linux/inet_diag.h). Every integer is
// in host byte order except ports and addresses, which are in network order ("be").
//
// Request: one dump of the TCP sockets of one address family, 72 bytes.
//
//   offset  size  field
//   ── nlmsghdr ─────────────────────────────────────────────────────────────
//        0     4  length of the whole message (72)
//        4     2  type: SOCK_DIAG_BY_FAMILY (20)
//        6     2  flags: NLM_F_REQUEST | NLM_F_DUMP (0x301)
//        8     4  sequence number, echoed in every reply
//       12     4  port id: 0, the kernel fills it in
//   ── inet_diag_req_v2 ─────────────────────────────────────────────────────
//       16     1  sdiag_family: AF_INET (2) or AF_INET6 (10)
//       17     1  sdiag_protocol: IPPROTO_TCP (6)
//       18     1  idiag_ext: bit (INET_DIAG_INFO - 1) asks for struct tcp_info
//       19     1  pad
//       20     4  idiag_states: bit (1 << state) for each TCP state wanted
//       24    48  inet_diag_sockid, all zero: every socket
//
// Reply: a stream of datagrams, each holding netlink messages aligned to 4 bytes. A message
// is a 16-byte nlmsghdr (as above) and its payload:
//
//   type 20 (SOCK_DIAG_BY_FAMILY): one socket, inet_diag_msg then attributes
//        0     1  idiag_family
//        1     1  idiag_state (TCPState's raw values)
//        2     1  idiag_timer
//        3     1  idiag_retrans
//        4     2  be sport            ─┐
//        6     2  be dport             │ inet_diag_sockid
//        8    16  be source address    │ (an IPv4 address takes the first 4 bytes)
//       24    16  be destination       │
//       40     4  interface            │
//       44     8  cookie              ─┘
//       52     4  idiag_expires
//       56     4  idiag_rqueue: accept queue for a listener, unread bytes otherwise
//       60     4  idiag_wqueue: backlog for a listener, unsent bytes otherwise
//       64     4  idiag_uid
//       68     4  idiag_inode
//       72     …  attributes: u16 length (header included), u16 type, payload, padded to 4
//                 INET_DIAG_INFO (2): struct tcp_info, whose u32 tcpi_rtt (µs) is at offset 68
//   type 3 (NLMSG_DONE): the dump is complete
//   type 2 (NLMSG_ERROR): i32 negative errno, then the request's header
//
// Validity: a message's length is at least its header and no more than what is left of the
// datagram; a socket payload is at least 72 bytes and an attribute's length at least 4 and
// within the message. Anything else is malformed and the whole dump is refused, so that a
// misread never turns into wrong metrics. Attributes of other types (the kernel adds more
// over time) are skipped.
//
// Design note: the layout is written out here instead of imported from a C shim. The structs
// are fixed kernel ABI, a handful of offsets suffices, and bytes parsed with bounds checks
// are testable on captured replies on any machine.

/// Builds sock_diag dump requests and decodes their replies; pure, no I/O.
public enum SockDiagMessage {
    static let socketMessageSize = 72
    static let sockDiagByFamily: UInt16 = 20
    static let ipprotoTCP: UInt8 = 6
    static let inetDiagInfo: UInt16 = 2
    static let rttOffsetInTCPInfo = 68

    public enum Family: UInt8, Sendable {
        case inet = 2
        case inet6 = 10

        var addressLength: Int { self == .inet ? 4 : 16 }
    }

    /// One decoded datagram: its sockets, and whether the dump ended in it.
    public struct Batch: Sendable, Equatable {
        public var sockets: [InetSocket] = []
        public var done = false
    }

    /// The dump request for `family`'s TCP sockets in `states`, with tcp_info.
    public static func dumpRequest(family: Family, states: Set<TCPState>, sequence: UInt32) -> [UInt8] {
        var payload: [UInt8] = [family.rawValue, ipprotoTCP, UInt8(1 << (inetDiagInfo - 1)), 0]
        NetlinkFraming.append(states.reduce(UInt32(0)) { $0 | (1 << UInt32($1.rawValue)) }, to: &payload)
        payload += [UInt8](repeating: 0, count: 48)
        return NetlinkFraming.dumpRequest(type: sockDiagByFamily, sequence: sequence, payload: payload)
    }

    /// Decodes one reply datagram to a request with `sequence`. Messages of another sequence
    /// number are not ours and are skipped; an NLMSG_ERROR is thrown as `NetlinkError.refused`.
    public static func decode(_ datagram: UnsafeRawBufferPointer, sequence: UInt32) throws(NetlinkError) -> Batch {
        var addresses = AddressTextCache()
        return try decode(datagram, sequence: sequence, addresses: &addresses)
    }

    /// `decode`, with the address texts of the whole dump shared through `addresses`.
    static func decode(
        _ datagram: UnsafeRawBufferPointer, sequence: UInt32, addresses: inout AddressTextCache
    ) throws(NetlinkError) -> Batch {
        var batch = Batch()
        batch.done = try NetlinkFraming.forEachMessage(in: datagram, sequence: sequence) { type, payload, start throws(NetlinkError) in
            if type == sockDiagByFamily, let socket = try decodeSocket(payload, at: start, addresses: &addresses) {
                batch.sockets.append(socket)
            }
        }
        return batch
    }

    /// One inet_diag_msg and its attributes; nil for a family or state this collector does
    /// not know (a kernel newer than this code).
    static func decodeSocket(
        _ payload: UnsafeRawBufferPointer, at start: Int, addresses: inout AddressTextCache
    ) throws(NetlinkError) -> InetSocket? {
        guard payload.count >= socketMessageSize else {
            throw .malformed("socket message at byte \(start) has \(payload.count) bytes, expected at least \(socketMessageSize)")
        }
        guard let family = Family(rawValue: payload[0]), let state = TCPState(rawValue: payload[1]) else { return nil }
        let length = family.addressLength
        guard let localAddress = addresses.text(UnsafeRawBufferPointer(rebasing: payload[8..<(8 + length)])),
            let remoteAddress = addresses.text(UnsafeRawBufferPointer(rebasing: payload[24..<(24 + length)]))
        else { return nil }
        var socket = InetSocket(
            state: state,
            local: SocketEndpoint(address: localAddress, port: UInt16(payload[4]) << 8 | UInt16(payload[5])),
            remote: SocketEndpoint(address: remoteAddress, port: UInt16(payload[6]) << 8 | UInt16(payload[7])),
            receiveQueue: NetlinkFraming.load(UInt32.self, payload, 56), sendQueue: NetlinkFraming.load(UInt32.self, payload, 60),
            inode: NetlinkFraming.load(UInt32.self, payload, 68))
        try NetlinkFraming.forEachAttribute(in: payload, from: socketMessageSize, start: start) { type, value throws(NetlinkError) in
            if type == inetDiagInfo, value.count >= rttOffsetInTCPInfo + 4 {
                socket.rttMicroseconds = NetlinkFraming.load(UInt32.self, value, rttOffsetInTCPInfo)
            }
        }
        return socket
    }
}
