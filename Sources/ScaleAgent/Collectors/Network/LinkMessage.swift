// The rtnetlink messages the netclass collector exchanges with the kernel (NETLINK_ROUTE;
// linux/rtnetlink.h, linux/if_link.h), framed as `NetlinkFraming` describes. Host byte order.
//
// Request: a dump of every link, 40 bytes: the 16-byte header (type RTM_GETLINK, 18), then
//
//   offset  size  field
//   ── ifinfomsg ──────────────────────────────────────────────────────────────
//       16     1  ifi_family: AF_UNSPEC (0)
//       17     1  pad
//       18     2  ifi_type: 0
//       20     4  ifi_index: 0, every link
//       24     4  ifi_flags: 0
//       28     4  ifi_change: 0
//   ── attribute IFLA_EXT_MASK (29), 8 bytes ───────────────────────────────────
//       32     2  length (8)
//       34     2  type (29)
//       36     4  RTEXT_FILTER_SKIP_STATS (8): no counters, which the kernel would gather per
//                 link for nothing (netdev reads them from /proc/net/dev)
//
// Reply: one RTM_NEWLINK (16) message per link, ifinfomsg as above (ifi_type the link's
// ARPHRD type, ifi_index its index, ifi_flags dev_get_flags()), then attributes (`u16 length`
// with its 4-byte header, `u16 type`, value, padded to 4). Those read here:
//
//   type  name                     value
//      1  IFLA_ADDRESS             address bytes (absent when the link has none)
//      2  IFLA_BROADCAST           broadcast address bytes (likewise)
//      3  IFLA_IFNAME              name, NUL-terminated
//      4  IFLA_MTU                 u32
//      5  IFLA_LINK                u32 iflink; absent when it equals the link's own index
//     13  IFLA_TXQLEN              u32
//     16  IFLA_OPERSTATE           u8: unknown, notpresent, down, lowerlayerdown, testing,
//                                  dormant, up (RFC 2863); down when the link is not up
//     17  IFLA_LINKMODE            u8
//     20  IFLA_IFALIAS             alias, NUL-terminated (absent when none is set)
//     27  IFLA_GROUP               u32
//     33  IFLA_CARRIER             u8
//     35  IFLA_CARRIER_CHANGES     u32: up count + down count
//     47  IFLA_CARRIER_UP_COUNT    u32
//     48  IFLA_CARRIER_DOWN_COUNT  u32
//
// Validity as in `NetlinkFraming`, and a link message is at least its 16-byte ifinfomsg;
// numbers shorter than their type, or a link without a name, are malformed. Other attributes
// (there are dozens, and kernels add more) are skipped.

/// Builds the link dump request and decodes its replies; pure, no I/O.
enum LinkMessage {
    static let getLink: UInt16 = 18
    static let newLink: UInt16 = 16
    static let infoSize = 16
    static let extendedMask: UInt16 = 29
    static let skipStats: UInt32 = 8

    /// One link as rtnetlink describes it, with what sysfs would say in its attribute files.
    struct Link: Equatable {
        var name: String
        var index: Int32
        var type: UInt16
        /// `dev_get_flags()`: IFF_UP tells whether the link is up (`netif_running`).
        var flags: UInt32
        var address: [UInt8]?
        var broadcast: [UInt8]?
        var mtu: UInt32?
        var iflink: UInt32?
        var transmitQueueLength: UInt32?
        var operstate: UInt8?
        var linkMode: UInt8?
        var alias: String?
        var group: UInt32?
        var carrier: UInt8?
        var carrierChanges: UInt32?
        var carrierUpCount: UInt32?
        var carrierDownCount: UInt32?

        static let up: UInt32 = 1

        /// The sysfs attribute files this link's attributes stand for, with the text the
        /// kernel writes in them (net-sysfs.c), so that they are parsed as the files are.
        var sysfsAttributes: [String: String] {
            var files: [String: String] = [
                "ifindex": String(index), "type": String(type), "iflink": String(iflink ?? UInt32(bitPattern: index)),
                "address": address.map(Self.macText) ?? "", "broadcast": broadcast.map(Self.macText) ?? "",
                "operstate": Self.operstateNames[Int(operstate ?? 0)] ?? "unknown", "ifalias": alias ?? "",
            ]
            files["mtu"] = mtu.map { String($0) }
            files["tx_queue_len"] = transmitQueueLength.map { String($0) }
            files["link_mode"] = linkMode.map { String($0) }
            files["netdev_group"] = group.map { String($0) }
            files["carrier_changes"] = carrierChanges.map { String($0) }
            files["carrier_up_count"] = carrierUpCount.map { String($0) }
            files["carrier_down_count"] = carrierDownCount.map { String($0) }
            // sysfs answers EINVAL for the carrier of a link that is not up.
            if flags & Self.up != 0 { files["carrier"] = carrier.map { String($0) } }
            return files
        }

        static let operstateNames: [Int: String] = [
            0: "unknown", 1: "notpresent", 2: "down", 3: "lowerlayerdown", 4: "testing", 5: "dormant", 6: "up",
        ]

        /// Lowercase hex bytes joined by colons, as sysfs prints addresses.
        static func macText(_ bytes: [UInt8]) -> String {
            let digits = Array("0123456789abcdef".utf8)
            var text: [UInt8] = []
            text.reserveCapacity(bytes.count * 3)
            for (position, byte) in bytes.enumerated() {
                if position > 0 { text.append(UInt8(ascii: ":")) }
                text.append(digits[Int(byte >> 4)])
                text.append(digits[Int(byte & 0xf)])
            }
            return String(decoding: text, as: UTF8.self)
        }
    }

    /// The dump request for every link, without their counters.
    static func dumpRequest(sequence: UInt32) -> [UInt8] {
        var payload = [UInt8](repeating: 0, count: infoSize)
        NetlinkFraming.append(UInt16(8), to: &payload)
        NetlinkFraming.append(extendedMask, to: &payload)
        NetlinkFraming.append(skipStats, to: &payload)
        return NetlinkFraming.dumpRequest(type: getLink, sequence: sequence, payload: payload)
    }

    /// Decodes one reply datagram to a request with `sequence`: its links, and whether the dump
    /// ended in it.
    static func decode(_ datagram: UnsafeRawBufferPointer, sequence: UInt32) throws(NetlinkError) -> (links: [Link], done: Bool) {
        var links: [Link] = []
        let done = try NetlinkFraming.forEachMessage(in: datagram, sequence: sequence) { type, payload, start throws(NetlinkError) in
            if type == newLink { links.append(try decodeLink(payload, at: start)) }
        }
        return (links, done)
    }

    static func decodeLink(_ payload: UnsafeRawBufferPointer, at start: Int) throws(NetlinkError) -> Link {
        guard payload.count >= infoSize else {
            throw .malformed("link message at byte \(start) has \(payload.count) bytes, expected at least \(infoSize)")
        }
        var link = Link(
            name: "", index: NetlinkFraming.load(Int32.self, payload, 4), type: NetlinkFraming.load(UInt16.self, payload, 2),
            flags: NetlinkFraming.load(UInt32.self, payload, 8))
        var named = false
        try NetlinkFraming.forEachAttribute(in: payload, from: infoSize, start: start) { type, value throws(NetlinkError) in
            func number<T: FixedWidthInteger>(_: T.Type) throws(NetlinkError) -> T {
                guard value.count >= MemoryLayout<T>.size else {
                    throw .malformed("attribute \(type) of the link at byte \(start) has \(value.count) bytes, expected \(MemoryLayout<T>.size)")
                }
                return NetlinkFraming.load(T.self, value, 0)
            }
            switch type {
            case 1: link.address = Array(value)
            case 2: link.broadcast = Array(value)
            case 3:
                link.name = text(value)
                named = true
            case 4: link.mtu = try number(UInt32.self)
            case 5: link.iflink = try number(UInt32.self)
            case 13: link.transmitQueueLength = try number(UInt32.self)
            case 16: link.operstate = try number(UInt8.self)
            case 17: link.linkMode = try number(UInt8.self)
            case 20: link.alias = text(value)
            case 27: link.group = try number(UInt32.self)
            case 33: link.carrier = try number(UInt8.self)
            case 35: link.carrierChanges = try number(UInt32.self)
            case 47: link.carrierUpCount = try number(UInt32.self)
            case 48: link.carrierDownCount = try number(UInt32.self)
            default: break
            }
        }
        guard named, !link.name.isEmpty else { throw .malformed("the link at byte \(start) has no name") }
        return link
    }

    /// A NUL-terminated string attribute's text.
    private static func text(_ value: UnsafeRawBufferPointer) -> String {
        String(decoding: value.prefix { $0 != 0 }, as: UTF8.self)
    }
}
