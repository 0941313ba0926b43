import Testing
@testable import ScaleAgent

@Suite struct ProcNetTCPTests {
    static let header = "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n"

    @Test func parsesListenersAndConnectionsOfBothFamilies() throws {
        let tcp = Self.header + """
               0: 0100007F:1F90 00000000:0000 0A 00000000:00000003 00:00000000 00000000     0        0 20513 1 0000000000000000 100 0 0 10 0
               1: 0100007F:D431 0100007F:1F90 01 00000010:00000000 02:000000C8 00000000  1000        0 20999 1 0000000000000000 20 4 30 10 -1

            """
        let sockets = try ProcNetTCP.parse(tcp, file: "tcp")
        #expect(sockets == [
            InetSocket(
                state: .listen, local: .init(address: "127.0.0.1", port: 8080), remote: .init(address: "0.0.0.0", port: 0),
                receiveQueue: 3, sendQueue: nil, inode: 20513),
            InetSocket(
                state: .established, local: .init(address: "127.0.0.1", port: 54321), remote: .init(address: "127.0.0.1", port: 8080),
                receiveQueue: 0, sendQueue: 16, inode: 20999),
        ])
        let tcp6 = Self.header + """
               0: 00000000000000000000000001000000:0050 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 31 1
               1: 0000000000000000FFFF00000A00000A:01BB 0000000000000000FFFF00000500000A:C001 08 00000000:00000000 00:00000000 00000000     0        0 32 1

            """
        let sockets6 = try ProcNetTCP.parse(tcp6, file: "tcp6")
        #expect(sockets6.map(\.local) == [.init(address: "::1", port: 80), .init(address: "::ffff:10.0.0.10", port: 443)])
        #expect(sockets6.map(\.state) == [.listen, .closeWait])
        #expect(sockets6[1].remote == .init(address: "::ffff:10.0.0.5", port: 0xC001))
    }

    @Test func unknownStatesAreLeftOut() throws {
        let text = Self.header + "   0: 0100007F:1F90 00000000:0000 0F 00000000:00000000 00:00000000 00000000 0 0 1 1\n"
        #expect(try ProcNetTCP.parse(text, file: "tcp").isEmpty)
    }

    @Test(arguments: [
        ("   0: 0100007F:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000 0 0 1\n", 1, "header"),
        (header + "   0: 0100007F:1F90 00000000:0000 0A\n", 2, "at least 10 columns"),
        (header + "   0: 0100007F 00000000:0000 0A 00000000:00000000 00:00000000 00000000 0 0 1\n", 2, "ADDRESS:PORT"),
        (header + "   0: 0100007:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000 0 0 1\n", 2, "ADDRESS:PORT"),
        (header + "   0: 0100007F:1FZ0 00000000:0000 0A 00000000:00000000 00:00000000 00000000 0 0 1\n", 2, "ADDRESS:PORT"),
        (header + "   0: 0100007F:1F90 00000000:0000 ZZ 00000000:00000000 00:00000000 00000000 0 0 1\n", 2, "state"),
        (header + "   0: 0100007F:1F90 00000000:0000 0A 00000000 00:00000000 00000000 0 0 1 1\n", 2, "tx_queue:rx_queue"),
        (header + "   0: 0100007F:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000 0 0 x1\n", 2, "inode"),
    ])
    func rejectsMalformed(_ text: String, _ line: Int, _ expected: String) {
        let error = #expect(throws: ParseError.self) { try ProcNetTCP.parse(text, file: "tcp") }
        #expect(error?.line == line)
        #expect(error?.message.contains(expected) == true, "\(String(describing: error))")
    }
}
