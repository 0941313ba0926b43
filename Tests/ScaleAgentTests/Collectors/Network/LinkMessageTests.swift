#if canImport(Glibc)
import Glibc
#endif
import Testing

@testable import ScaleAgent

@Suite struct LinkMessageTests {
    /// Captured on Linux 6.18 (x86_64): the RTM_NEWLINK message of `lo` answering the dump
    /// request below (sequence 1), then NLMSG_DONE.
    static let loopback: [UInt8] = {
        let hex = (try? FileReading.string(atPath: Fixtures.directory + "/rtnetlink/newlink-lo.hex")) ?? ""
        return SockDiagMessageTests.bytes(String(hex.droppingTrailingNewlinesAndSpaces()))
    }()

    private func decode(_ bytes: [UInt8], sequence: UInt32 = 1) throws(NetlinkError) -> (links: [LinkMessage.Link], done: Bool) {
        try bytes.withUnsafeBytes { raw in
            Result { () throws(NetlinkError) in try LinkMessage.decode(raw, sequence: sequence) }
        }.get()
    }

    /// A link message of `sequence` with `attributes` (type, value), as the kernel frames it.
    static func linkMessage(sequence: UInt32 = 1, index: Int32 = 7, attributes: [(UInt16, [UInt8])]) -> [UInt8] {
        var payload: [UInt8] = [0, 0]
        NetlinkFraming.append(UInt16(1), to: &payload)
        NetlinkFraming.append(index, to: &payload)
        NetlinkFraming.append(UInt32(0x1003), to: &payload)
        NetlinkFraming.append(UInt32(0), to: &payload)
        for (type, value) in attributes {
            NetlinkFraming.append(UInt16(4 + value.count), to: &payload)
            NetlinkFraming.append(type, to: &payload)
            payload += value + [UInt8](repeating: 0, count: (4 - value.count % 4) % 4)
        }
        var message = NetlinkFraming.dumpRequest(type: LinkMessage.newLink, sequence: sequence, payload: payload)
        message[6] = 0x02  // NLM_F_MULTI, as the kernel marks dump replies
        message[7] = 0
        return message
    }

    @Test func requestHasTheDocumentedLayout() {
        #expect(LinkMessage.dumpRequest(sequence: 1) == SockDiagMessageTests.bytes(
            "28000000120001030100000000000000" + "00000000000000000000000000000000" + "08001d0008000000"))
    }

    @Test func decodesTheCapturedLoopback() throws {
        let batch = try decode(Self.loopback)
        #expect(batch.done)
        #expect(batch.links.count == 1)
        let lo = try #require(batch.links.first)
        #expect(lo.name == "lo")
        #expect(lo.index == 1)
        #expect(lo.type == 772)
        #expect(lo.flags == 0x10049)
        #expect(lo.mtu == 65536)
        #expect(lo.transmitQueueLength == 1000)
        #expect(lo.iflink == nil)
        let files = lo.sysfsAttributes
        #expect(files["address"] == "00:00:00:00:00:00")
        #expect(files["operstate"] == "unknown")
        #expect(files["iflink"] == "1")
        #expect(files["carrier"] == "1")
        #expect(files["carrier_changes"] == "0")
        #expect(files["ifalias"] == "")
        #expect(files["netdev_group"] == "0")
        #expect(files["link_mode"] == "0")
    }

    @Test func aLinkThatIsNotUpHasNoCarrierFile() {
        var link = LinkMessage.Link(name: "ifb0", index: 3, type: 1, flags: 0x82)
        link.carrier = 0
        link.operstate = 2
        link.address = [0x02, 0xfc, 0, 0, 0xab, 0x1]
        #expect(link.sysfsAttributes["carrier"] == nil)
        #expect(link.sysfsAttributes["operstate"] == "down")
        #expect(link.sysfsAttributes["address"] == "02:fc:00:00:ab:01")
    }

    @Test func messagesOfAnotherSequenceAreSkipped() throws {
        let other = Self.linkMessage(sequence: 2, attributes: [(3, Array("eth9\0".utf8))])
        #expect(try decode(other).links.isEmpty)
    }

    @Test func aShortLinkMessageIsMalformed() {
        let short = NetlinkFraming.dumpRequest(type: LinkMessage.newLink, sequence: 1, payload: [0, 0, 1, 0])
        #expect(throws: NetlinkError.malformed("link message at byte 16 has 4 bytes, expected at least 16")) { try decode(short) }
    }

    @Test func aNumberShorterThanItsTypeIsMalformed() {
        let message = Self.linkMessage(attributes: [(3, Array("eth9\0".utf8)), (4, [0xdc, 0x05])])
        #expect(throws: NetlinkError.malformed("attribute 4 of the link at byte 16 has 2 bytes, expected 4")) { try decode(message) }
    }

    @Test func aLinkWithoutANameIsMalformed() {
        let message = Self.linkMessage(attributes: [(4, [0xdc, 0x05, 0, 0])])
        #expect(throws: NetlinkError.malformed("the link at byte 16 has no name")) { try decode(message) }
    }

    @Test func anAttributeBeyondItsMessageIsMalformed() {
        var message = Self.linkMessage(attributes: [(3, Array("eth9\0".utf8))])
        message[32] = 0xff
        #expect(throws: NetlinkError.malformed("attribute at byte 32 claims 255 bytes; 12 remain")) { try decode(message) }
    }

    /// On this host, through the real kernel: what the dump says of each link is what its
    /// sysfs files say, for every file the dump stands for.
    @Test func theDumpAgreesWithSysfsOnThisHost() throws {
        let links = NetclassCollector.linksByName()
        #expect(links["lo"] != nil)
        for (name, link) in links {
            let directory = "/sys/class/net/" + name
            for (file, text) in link.sysfsAttributes {
                let onDisk = try FileReading.freshString(atPath: directory + "/" + file)
                #expect(String(onDisk.droppingTrailingNewlinesAndSpaces()) == text, "\(name)/\(file)")
            }
            if link.flags & LinkMessage.Link.up == 0 {
                #expect(throws: FileReadError.self) { try FileReading.freshString(atPath: directory + "/carrier") }
            }
        }
    }

    /// The collector reads the same from the dump as from sysfs alone, on this host.
    @Test func theCollectorReportsTheSameEitherWay() throws {
        var fromDump = MetricsBuilder()
        try NetclassCollector(paths: HostPaths()).collect(into: &fromDump)
        var fromSysfs = MetricsBuilder()
        try NetclassCollector(paths: HostPaths(), readsRtnetlink: false).collect(into: &fromSysfs)
        let (a, b) = (fromDump.build(), fromSysfs.build())
        #expect(a.map(\.name) == b.map(\.name))
        for (x, y) in zip(a, b) {
            #expect(x.samples == y.samples, "\(x.name)")
        }
    }

    /// A device whose sysfs ifindex is not the dump's (another namespace's /sys, or a rename
    /// in between) is not taken from the dump.
    @Test func aDeviceIsTakenFromTheDumpOnlyWithTheSameIndex() throws {
        let lo = try #require(NetclassCollector.linksByName()["lo"])
        #expect(try NetclassCollector.sysfsAgrees(with: lo, directory: "/sys/class/net/lo"))
        var other = lo
        other.index = lo.index + 1000
        #expect(try !NetclassCollector.sysfsAgrees(with: other, directory: "/sys/class/net/lo"))
    }
}
