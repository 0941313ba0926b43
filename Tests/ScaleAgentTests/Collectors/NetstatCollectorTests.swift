import Testing
@testable import ScaleAgent

@Suite struct NetstatCollectorTests {
    @Test func parsesHeaderAndValuePairs() throws {
        let text = """
            Tcp: RtoAlgorithm MaxConn CurrEstab
            Tcp: 1 -1 5
            IcmpMsg: InType3
            IcmpMsg: 1

            """
        let statistics = try NetstatCollector.parsePairs(text, file: "snmp")
        #expect(statistics == [
            .init(protocolName: "Tcp", field: "RtoAlgorithm", value: 1),
            .init(protocolName: "Tcp", field: "MaxConn", value: -1),
            .init(protocolName: "Tcp", field: "CurrEstab", value: 5),
            .init(protocolName: "IcmpMsg", field: "InType3", value: 1),
        ])
    }

    @Test(arguments: [
        ("Tcp RtoAlgorithm\nTcp 1\n", 1, "expected a protocol name ending in ':', found 'Tcp'"),
        ("Tcp: RtoAlgorithm\nTcp: 1\nUdp: InDatagrams\n", 4, "expected the values line of Udp"),
        ("Tcp: RtoAlgorithm\n\n", 2, "expected the values line of Tcp"),
        ("Tcp: RtoAlgorithm\nUdp: 1\n", 2, "expected values of Tcp, found Udp"),
        ("Tcp: RtoAlgorithm\n1\n", 2, "expected a protocol name ending in ':', found '1'"),
        ("Ip: Forwarding\nIp: 2\nTcp: A B C\nTcp: 1 2\n", 4, "expected 3 values for Tcp as named on line 3, found 2"),
        ("Tcp: A B\nTcp: 1 2 3\n", 2, "expected 2 values for Tcp as named on line 1, found 3"),
        ("Tcp: A B\nTcp: 1 x\n", 2, "expected an integer for Tcp B, found 'x'"),
    ])
    func rejectsMalformedPairs(text: String, line: Int, expected: String) {
        let error = #expect(throws: ParseError.self) { try NetstatCollector.parsePairs(text, file: "/proc/net/snmp") }
        #expect(error?.file == "/proc/net/snmp")
        #expect(error?.line == line)
        #expect(error?.message.contains(expected) == true, "\(error?.message ?? "")")
    }

    @Test func splitsSNMP6NamesAtTheFirstSix() throws {
        let text = "Ip6InOctets   \t128\nIcmp6OutType133\t8\nUdpLite6InErrors 0\nNoSixHere 3\n\n"
        let statistics = try NetstatCollector.parseSNMP6(text, file: "snmp6")
        #expect(statistics == [
            .init(protocolName: "Ip6", field: "InOctets", value: 128),
            .init(protocolName: "Icmp6", field: "OutType133", value: 8),
            .init(protocolName: "UdpLite6", field: "InErrors", value: 0),
        ])
    }

    @Test(arguments: [
        ("Ip6InOctets 128\nIp6OutOctets\n", 2, "expected a name and a value, found 1 fields"),
        ("Ip6InOctets 128 4\n", 1, "expected a name and a value, found 3 fields"),
        ("Ip6InOctets 12e3\n", 1, "expected an integer for Ip6InOctets, found '12e3'"),
    ])
    func rejectsMalformedSNMP6(text: String, line: Int, expected: String) {
        let error = #expect(throws: ParseError.self) { try NetstatCollector.parseSNMP6(text, file: "/proc/net/snmp6") }
        #expect(error?.file == "/proc/net/snmp6")
        #expect(error?.line == line)
        #expect(error?.message.contains(expected) == true, "\(error?.message ?? "")")
    }

    /// The families node_exporter 1.5 reported on the machine the fixtures were taken from.
    static let defaultFamilies: Set<String> = [
        "Icmp6_InErrors", "Icmp6_InMsgs", "Icmp6_OutMsgs", "Icmp_InErrors", "Icmp_InMsgs", "Icmp_OutMsgs",
        "Ip6_InOctets", "Ip6_OutOctets", "IpExt_InOctets", "IpExt_OutOctets", "Ip_Forwarding",
        "TcpExt_ListenDrops", "TcpExt_ListenOverflows", "TcpExt_SyncookiesFailed", "TcpExt_SyncookiesRecv",
        "TcpExt_SyncookiesSent", "TcpExt_TCPSynRetrans", "TcpExt_TCPTimeouts", "Tcp_ActiveOpens", "Tcp_CurrEstab",
        "Tcp_InErrs", "Tcp_InSegs", "Tcp_OutRsts", "Tcp_OutSegs", "Tcp_PassiveOpens", "Tcp_RetransSegs",
        "Udp6_InDatagrams", "Udp6_InErrors", "Udp6_NoPorts", "Udp6_OutDatagrams", "Udp6_RcvbufErrors",
        "Udp6_SndbufErrors", "UdpLite6_InErrors", "UdpLite_InErrors", "Udp_InDatagrams", "Udp_InErrors",
        "Udp_NoPorts", "Udp_OutDatagrams", "Udp_RcvbufErrors", "Udp_SndbufErrors",
    ]

    @Test func collectsNodeExportersDefaultSelectionFromFixture() throws {
        var builder = MetricsBuilder()
        try NetstatCollector(paths: Fixtures.paths).collect(into: &builder)
        let families = builder.build()
        #expect(Set(families.map(\.name)) == Set(Self.defaultFamilies.map { "node_netstat_" + $0 }))
        #expect(families.allSatisfy { $0.type == .untyped && $0.samples.count == 1 })
        #expect(families.first { $0.name == "node_netstat_TcpExt_ListenOverflows" }?.help == "Statistic TcpExtListenOverflows.")
        #expect(families.value("node_netstat_TcpExt_ListenOverflows") == 7)
        #expect(families.value("node_netstat_TcpExt_ListenDrops") == 9)
        #expect(families.value("node_netstat_TcpExt_TCPSynRetrans") == 4)
        #expect(families.value("node_netstat_Tcp_CurrEstab") == 5)
        #expect(families.value("node_netstat_Tcp_InErrs") == 3)
        #expect(families.value("node_netstat_Ip_Forwarding") == 2)
        #expect(families.value("node_netstat_IpExt_InOctets") == 54_052_769)
        #expect(families.value("node_netstat_Udp6_InDatagrams") == 42)
        #expect(families.value("node_netstat_Ip6_OutOctets") == 880)
    }

    @Test func fieldsPatternSelects() throws {
        var builder = MetricsBuilder()
        try NetstatCollector(paths: Fixtures.paths, fields: Pattern("^Tcp_MaxConn$")).collect(into: &builder)
        #expect(builder.build().map(\.name) == ["node_netstat_Tcp_MaxConn"])
        #expect(builder.build().value("node_netstat_Tcp_MaxConn") == -1)
    }

    @Test func missingSNMP6IsNotAnError() throws {
        let tree = ScratchTree()
        tree.write("net/netstat", "TcpExt: ListenOverflows ListenDrops\nTcpExt: 1 2\n")
        tree.write("net/snmp", "Tcp: CurrEstab\nTcp: 3\n")
        var builder = MetricsBuilder()
        try NetstatCollector(paths: HostPaths(procfs: tree.root)).collect(into: &builder)
        #expect(builder.build().map(\.name) == [
            "node_netstat_TcpExt_ListenOverflows", "node_netstat_TcpExt_ListenDrops", "node_netstat_Tcp_CurrEstab",
        ])
    }

    @Test func missingSNMPIsAnError() {
        let tree = ScratchTree()
        tree.write("net/netstat", "TcpExt: ListenOverflows\nTcpExt: 1\n")
        var builder = MetricsBuilder()
        let error = #expect(throws: FileReadError.self) {
            try NetstatCollector(paths: HostPaths(procfs: tree.root)).collect(into: &builder)
        }
        #expect(error?.isNotFound == true)
    }
}

extension [MetricFamily] {
    fileprivate func value(_ name: String, _ labels: [String: String] = [:]) -> Double? {
        first { $0.name == name }?.samples.first { sample in
            sample.labels.count == labels.count && labels.allSatisfy { sample.labels[$0.key] == $0.value }
        }?.value
    }
}
