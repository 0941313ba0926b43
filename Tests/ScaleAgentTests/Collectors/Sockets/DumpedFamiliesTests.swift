import Testing

@testable import ScaleAgent

@Suite struct DumpedFamiliesTests {
    static let busy = "sockets: used 90\nTCP: inuse 12 orphan 0 tw 1325 alloc 14 mem 3\nUDP: inuse 2 mem 1\n"
    static let idle = "sockets: used 9\nTCP: inuse 0 orphan 0 tw 1325 alloc 0 mem 0\n"
    static let v6Busy = "TCP6: inuse 3\nUDP6: inuse 1\n"
    static let v6Idle = "TCP6: inuse 0\nUDP6: inuse 0\nUDPLITE6: inuse 0\nRAW6: inuse 0\nFRAG6: inuse 0 memory 0\n"

    @Test(arguments: [
        (busy, v6Busy, [SockDiagMessage.Family.inet, .inet6]),
        (busy, v6Idle, [.inet]),
        // Only TIME_WAIT left (tw 1325, inuse 0): nothing the collector asks for.
        (idle, v6Busy, [.inet6]),
        (idle, v6Idle, []),
        // No sockstat6: the kernel has no IPv6.
        (busy, nil, [.inet]),
        // Unreadable (empty) or in an unknown format: dumped, so no socket is lost.
        ("", v6Idle, [.inet]),
        ("TCP: inuse many\n", "TCP6 inuse 0\n", [.inet, .inet6]),
        ("UDP: inuse 3\n", v6Idle, [.inet]),
    ] as [(String?, String?, [SockDiagMessage.Family])])
    func dumpsOnlyFamiliesWithSocketsInUse(_ sockstat: String?, _ sockstat6: String?, _ expected: [SockDiagMessage.Family]) {
        #expect(DumpedFamilies.families(sockstat: sockstat, sockstat6: sockstat6) == expected)
    }
}
