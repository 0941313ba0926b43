import Testing
@testable import ScaleAgent

@Suite struct SockDiagMessageTests {
    static func bytes(_ hex: String) -> [UInt8] {
        var bytes: [UInt8] = []
        var index = hex.startIndex
        while index < hex.endIndex {
            let next = hex.index(index, offsetBy: 2)
            bytes.append(UInt8(hex[index..<next], radix: 16)!)
            index = next
        }
        return bytes
    }

    /// Captured on Linux 6.x (x86_64): a dump of AF_INET6 sockets with sequence 9, reduced to
    /// the sockets of one test: a listener on [::1]:47321 with backlog 7 and one connection
    /// waiting in its accept queue, that connection's server side (no inode yet: not
    /// accepted) and its client side, then NLMSG_DONE.
    static let listener =
        "a00100001400020009000000f03a00000a0a0000b8d900000000000000000000000000000000000100000000000000000000000000000000000000000200000000000000000000000100000007000000000000000a0b3b00050008000000000005000b000100000008000f00000000000c001500010000000000000006001600120000001c0102000a000000000000000000000000000000000000000000000001000000070000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000a0000000000000003000000000000000000000000000000ffffffffffffffffffffffffffffffff00000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"
    static let accepted =
        "980100001400020009000000f03a00000a010000b8d9c50000000000000000000000000000000001000000000000000000000000000000010000000003000000000000000000000000000000000000000000000000000000050008000000000008000f00000000000c001500010000000000000006001600120000001c010200010000000007aa01e01c030000000000008000001802000000000000000000000000000000000000000000003000000000000000300000003000000000000100b8ff00002d00000016000000ffffff7f0a000000b8ff00000300000000000000b8ff000000000000270b63d804000000ffffffffffffffff000000000000000000000000000000000000000002000000000000002d0000000000000000000000000000000000000000000000000000000000000000000000000000000000000001000000000000000000000000000000000000000000000000000000000000000000000000000100b8ff00000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"
    static let client =
        "980100001400020009000000f03a00000a010000c500b8d90000000000000000000000000000000100000000000000000000000000000001000000000400000000000000000000000000000000000000000000000b0b3b00050008000000000008000f00000000000c001500010000000000000006001600120000001c010200010000000007aa01e01c030000000000dc7f00001802000000000000000000000000000000000000000000003400000000000000340000003400000000000100c4ff0000cb00000065000000ffffff7f0a000000b8ff00000300000000000000c4ff0000000000001507a91201000000ffffffffffffffff01000000000000000000000000000000020000000100000000000000cb00000000000000000000000000000000000000000000000000000000000000000000000000000000000000010000000000000000000000000000000000000000000000000000000000000000000000b8ff0000000001000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"
    static let done = "140000000300020009000000f03a000000000000"

    private func decode(_ hex: String, sequence: UInt32 = 9) throws(NetlinkError) -> SockDiagMessage.Batch {
        try Self.bytes(hex).withUnsafeBytes { bytes in
            Result { () throws(NetlinkError) in try SockDiagMessage.decode(bytes, sequence: sequence) }
        }.get()
    }

    @Test func requestHasTheDocumentedLayout() {
        let request = SockDiagMessage.dumpRequest(family: .inet6, states: Set(TCPState.allCases), sequence: 9)
        #expect(request == Self.bytes(
            "480000001400010309000000000000000a060200fe1f0000" + String(repeating: "00", count: 48)))
        let listenOnly = SockDiagMessage.dumpRequest(family: .inet, states: [.listen], sequence: 1)
        #expect(Array(listenOnly[16..<24]) == [2, 6, 2, 0, 0x00, 0x04, 0, 0])
    }

    @Test func decodesCapturedListenerAndConnections() throws {
        let batch = try decode(Self.listener + Self.accepted + Self.client + Self.done)
        #expect(batch.done)
        #expect(batch.sockets.count == 3)
        let listener = batch.sockets[0]
        #expect(listener.state == .listen)
        #expect(listener.local == SocketEndpoint(address: "::1", port: 47321))
        #expect(listener.remote == SocketEndpoint(address: "::", port: 0))
        #expect(listener.receiveQueue == 1)
        #expect(listener.sendQueue == 7)
        #expect(listener.inode == 0x3b0b0a)
        let server = batch.sockets[1]
        #expect(server.state == .established)
        #expect(server.inode == 0)
        #expect(server.rttMicroseconds == 45)
        let client = batch.sockets[2]
        #expect(client.local.port == 50432)
        #expect(client.remote == SocketEndpoint(address: "::1", port: 47321))
        #expect(client.inode == 0x3b0b0b)
        #expect(client.rttMicroseconds != nil)
    }

    @Test func aDatagramWithoutDoneAsksForMore() throws {
        let batch = try decode(Self.listener)
        #expect(!batch.done)
        #expect(batch.sockets.count == 1)
    }

    @Test func messagesOfAnotherSequenceAreSkipped() throws {
        let batch = try decode(Self.listener + Self.done, sequence: 10)
        #expect(batch.sockets.isEmpty)
        #expect(!batch.done)
    }

    @Test func anErrorReplyIsARefusal() {
        // NLMSG_ERROR carrying -EPERM (1) and the request's header.
        let error = "24000000020000000900000000000000" + "ffffffff" + "480000001400010309000000" + "00000000"
        #expect(throws: NetlinkError.refused(errno: 1)) { try decode(error) }
    }

    @Test(arguments: [
        // Message length beyond the datagram.
        ("ff000000140002000900000000000000", "claims 255 bytes"),
        // Message length below its header.
        ("08000000140002000900000000000000", "claims 8 bytes"),
        // A socket payload shorter than inet_diag_msg.
        ("14000000140002000900000000000000" + "0a0a0000", "expected at least 72"),
        // A fragment after the last message.
        (done.replacingOccurrences("0300", with: "0900") + "0000", "after the last message"),
        // An attribute whose length runs past the message.
        ("5c000000140002000900000000000000" + "0a0a" + String(repeating: "00", count: 70) + "ff000200", "attribute at byte 88"),
        // An attribute shorter than its own header.
        ("5c000000140002000900000000000000" + "0a0a" + String(repeating: "00", count: 70) + "02000200", "claims 2 bytes"),
    ])
    func rejectsMalformed(_ hex: String, _ expected: String) {
        let error = #expect(throws: NetlinkError.self) { try decode(hex) }
        guard case .malformed(let message) = error else { Issue.record("expected malformed, got \(String(describing: error))"); return }
        #expect(message.contains(expected), "\(message)")
    }
}

extension String {
    fileprivate func replacingOccurrences(_ target: String, with replacement: String) -> String {
        split(separator: target, omittingEmptySubsequences: false).joined(separator: replacement)
    }
}
