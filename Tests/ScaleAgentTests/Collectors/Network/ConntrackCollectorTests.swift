import Testing
@testable import ScaleAgent

@Suite struct ConntrackCollectorTests {
    @Test func sumsStatColumnsByNameOverCPUs() throws {
        let text = """
            entries  searched found new invalid ignore delete delete_list insert insert_failed drop early_drop icmp_error expect_new expect_create expect_delete search_restart
            00000001  00000000 0000000a 00000000 00000002 00000000 00000000 00000000 00000003 00000000 00000000 00000000 00000000 00000000 00000000 00000000 00000001
            00000001  00000000 00000010 00000000 00000000 00000000 00000000 00000000 00000000 00000000 00000005 00000000 00000000 00000000 00000000 00000000 00000000

            """
        let totals = try ConntrackCollector.parseStat(text, file: "nf_conntrack")
        #expect(totals["found"] == 26)
        #expect(totals["invalid"] == 2)
        #expect(totals["insert"] == 3)
        #expect(totals["drop"] == 5)
        #expect(totals["search_restart"] == 1)
        #expect(totals["clashres"] == nil)
    }

    @Test(arguments: [
        ("", 1, "header"),
        ("found drop\n", 1, "entries"),
        ("entries found\n00000001\n", 2, "expected 2 columns"),
        ("entries found\n00000001 0000zz00\n", 2, "found: expected a hexadecimal counter"),
    ])
    func rejectsMalformedStat(text: String, line: Int, expected: String) {
        let error = #expect(throws: ParseError.self) { try ConntrackCollector.parseStat(text, file: "nf_conntrack") }
        #expect(error?.line == line)
        #expect(error?.message.contains(expected) == true, "\(String(describing: error))")
    }

    @Test(arguments: ["", "x\n", "12 13\n", "-1\n"])
    func rejectsMalformedCount(text: String) {
        #expect(throws: ParseError.self) { try ConntrackCollector.parseCount(text, file: "nf_conntrack_count") }
    }

    @Test func collectsFromFixture() throws {
        var builder = MetricsBuilder()
        try ConntrackCollector(paths: Fixtures.paths).collect(into: &builder)
        let families = builder.build()
        #expect(families.first { $0.name == "node_nf_conntrack_entries" }?.samples.first?.value == 12)
        #expect(families.first { $0.name == "node_nf_conntrack_entries_limit" }?.samples.first?.value == 262_144)
        #expect(families.first { $0.name == "node_nf_conntrack_stat_ignore" }?.samples.first?.value == 0x1000)
        #expect(families.first { $0.name == "node_nf_conntrack_stat_early_drop" }?.type == .gauge)
    }

    @Test func skipsQuietlyWithoutTheModule() throws {
        var builder = MetricsBuilder()
        try ConntrackCollector(paths: HostPaths(procfs: "/nonexistent")).collect(into: &builder)
        #expect(builder.build().isEmpty)
    }
}
