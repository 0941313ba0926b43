import Testing
@testable import ScaleAgent

@Suite struct MdadmCollectorTests {
    @Test func parsesEveryArrayKind() throws {
        var builder = MetricsBuilder()
        try MdadmCollector(paths: Fixtures.paths).collect(into: &builder)
        let arrays = try MdadmCollector.parse(FileReading.string(atPath: Fixtures.paths.proc("mdstat")), file: "mdstat")
        #expect(arrays == [
            .init(name: "md0", state: "active", disksActive: 2, disksFailed: 0, disksSpare: 0, disksRequired: 2, blocks: 523_264, blocksSynced: 523_264),
            .init(name: "md1", state: "recovering", disksActive: 1, disksFailed: 1, disksSpare: 1, disksRequired: 2, blocks: 1_048_512, blocksSynced: 52_480),
            .init(name: "md2", state: "active", disksActive: 2, disksFailed: 0, disksSpare: 0, disksRequired: 2, blocks: 2_095_104, blocksSynced: 2_095_104),
            .init(name: "md3", state: "inactive", disksActive: 0, disksFailed: 0, disksSpare: 1, disksRequired: 0, blocks: 1_048_576, blocksSynced: 1_048_576),
        ])
        let state = builder.build().first { $0.name == "node_md_state" }?.samples ?? []
        #expect(state.filter { $0.value == 1 }.map { "\($0.labels["device"] ?? "")=\($0.labels["state"] ?? "")" } == [
            "md0=active", "md1=recovering", "md2=active", "md3=inactive",
        ])
    }

    @Test func aPendingResyncHasSyncedNothing() throws {
        let text = "md5 : active raid5 sda[0] sdb[1] sdc[2]\n      2000 blocks level 5 [3/3] [UUU]\n      resync=PENDING\n"
        #expect(try MdadmCollector.parse(text, file: "mdstat").first?.blocksSynced == 0)
        #expect(try MdadmCollector.parse(text, file: "mdstat").first?.state == "resyncing")
    }

    @Test(arguments: [
        ("md0 : broken raid1 sda[0]\n      10 blocks [1/1] [U]\n", 1, "active|inactive"),
        ("md0 : active raid1 sda[0]\n", 1, "status line"),
        ("md0 : active raid1 sda[0]\n      many blocks [1/1] [U]\n", 2, "number of blocks"),
        ("md0 : active raid1 sda[0]\n      10 blocks super 1.2 [U]\n", 2, "[required/active]"),
        ("md0 : active raid1 sda[0]\n      10 blocks [1/1] [U]\n      recovery = 5.0%\n", 3, "(done/total)"),
    ])
    func rejectsMalformed(text: String, line: Int, expected: String) {
        let error = #expect(throws: ParseError.self) { try MdadmCollector.parse(text, file: "mdstat") }
        #expect(error?.line == line)
        #expect(error?.message.contains(expected) == true, "\(String(describing: error))")
    }
}
