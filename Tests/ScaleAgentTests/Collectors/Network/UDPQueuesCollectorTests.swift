import Testing
@testable import ScaleAgent

@Suite struct UDPQueuesCollectorTests {
    @Test func sumsQueuesOverSockets() throws {
        let text = """
               sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode ref pointer drops
              221: 3500007F:0035 00000000:0000 07 00000010:00000000 00:00000000 00000000   101        0 18226 2 0000000000000000 0
              560: 00000000:0044 00000000:0000 07 00000000:00000a00 00:00000000 00000000     0        0 21039 2 0000000000000000 0

            """
        #expect(try UDPQueuesCollector.parse(text, file: "udp") == .init(transmit: 16, receive: 2560))
    }

    @Test(arguments: [
        ("  221: 3500007F:0035 00000000:0000 07 00000010:00000000\n", 1, "header"),
        ("  sl local\n  1: a b\n", 2, "at least 5 columns"),
        ("  sl local\n  1: a b 07 00000010\n", 2, "tx_queue:rx_queue"),
        ("  sl local\n  1: a b 07 0000zz10:0\n", 2, "tx_queue:rx_queue"),
    ])
    func rejectsMalformed(text: String, line: Int, expected: String) {
        let error = #expect(throws: ParseError.self) { try UDPQueuesCollector.parse(text, file: "udp") }
        #expect(error?.line == line)
        #expect(error?.message.contains(expected) == true)
    }

    @Test func collectsBothFamiliesFromFixture() throws {
        var builder = MetricsBuilder()
        try UDPQueuesCollector(paths: Fixtures.paths).collect(into: &builder)
        let samples = builder.build().first { $0.name == "node_udp_queues" }?.samples ?? []
        let rx4 = samples.first { $0.labels["ip"] == "v4" && $0.labels["queue"] == "rx" }
        #expect(samples.count == 4)
        #expect(rx4?.value == Double(0xa00 + 0x100))
    }
}
