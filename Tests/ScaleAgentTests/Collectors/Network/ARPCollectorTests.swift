import Testing
@testable import ScaleAgent

@Suite struct ARPCollectorTests {
    @Test func countsEntriesPerDevice() throws {
        let text = """
            IP address       HW type     Flags       HW address            Mask     Device
            10.0.0.1         0x1         0x2         52:54:00:12:34:56     *        eth1
            10.0.0.2         0x1         0x0         00:00:00:00:00:00     *        eth0
            10.0.0.3         0x1         0x2         52:54:00:12:34:58     *        eth1

            """
        let entries = try ARPCollector.parse(text, file: "arp")
        #expect(entries.map(\.device) == ["eth0", "eth1"])
        #expect(entries.map(\.count) == [1, 2])
    }

    @Test func anEmptyTableHasNoDevices() throws {
        #expect(try ARPCollector.parse("IP address HW type Flags HW address Mask Device\n", file: "arp").isEmpty)
    }

    @Test(arguments: [
        ("10.0.0.1 0x1 0x2 52:54:00:12:34:56 * eth0\n", 1, "header"),
        ("IP address HW type Flags HW address Mask Device\n10.0.0.1 0x1 eth0\n", 2, "expected 6 columns"),
    ])
    func rejectsMalformed(text: String, line: Int, expected: String) {
        let error = #expect(throws: ParseError.self) { try ARPCollector.parse(text, file: "arp") }
        #expect(error?.line == line)
        #expect(error?.message.contains(expected) == true)
    }
}
