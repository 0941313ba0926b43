import Testing
@testable import ScaleAgent

@Suite struct MeminfoCollectorTests {
    @Test func namesFollowNodeExporter() throws {
        let text = """
            MemTotal:       24683656 kB
            Active(anon):       1532 kB

            NFS_Unstable:          0 kB
            HugePages_Total:       4

            """
        let fields = try MeminfoCollector.parse(text, file: "meminfo")
        let expected: [MeminfoCollector.Field] = [
            .init(name: "MemTotal_bytes", value: 25_276_063_744),
            .init(name: "Active_anon_bytes", value: 1_568_768),
            .init(name: "NFS_Unstable_bytes", value: 0),
            .init(name: "HugePages_Total", value: 4),
        ]
        #expect(fields == expected)
    }

    static let malformed: [(text: String, line: Int, expected: String)] = [
        ("MemTotal:\n", 1, "found 1 fields"),
        ("MemTotal: 1 kB extra\n", 1, "found 4 fields"),
        ("MemTotal: 1 kB\nMemFree 2 kB\n", 2, "ending in ':'"),
        ("MemTotal: 1 kB\n: 2 kB\n", 2, "ending in ':'"),
        ("MemTotal: many kB\n", 1, "found 'many'"),
        ("MemTotal: -1 kB\n", 1, "found '-1'"),
        ("MemTotal: 1 MB\n", 1, "unit 'kB'"),
        ("Mem-Total: 1 kB\n", 1, "does not make a metric name"),
    ]

    @Test(arguments: malformed)
    func rejectsMalformed(text: String, line: Int, expected: String) {
        let error = #expect(throws: ParseError.self) { try MeminfoCollector.parse(text, file: "meminfo") }
        #expect(error?.file == "meminfo")
        #expect(error?.line == line)
        #expect(error?.message.contains(expected) == true)
    }

    /// The collector's fast path (`LineNameCache`) reports what `parse` reports, malformed
    /// files included, and follows a file whose keys change.
    @Test(arguments: malformed)
    func collectingAMalformedFileFailsAsParseDoes(text: String, line: Int, expected: String) {
        let error = collectionError({ MeminfoCollector(paths: $0) }, file: "meminfo", text: text)
        #expect(error?.line == line)
        #expect(error?.message.contains(expected) == true)
    }

    @Test func collectionsFollowTheFileAsItChanges() throws {
        let tree = ScratchTree()
        let collector = MeminfoCollector(paths: HostPaths(procfs: tree.root))
        func collect(_ text: String) throws -> [MetricFamily] {
            tree.write("meminfo", text)
            var builder = MetricsBuilder()
            try collector.collect(into: &builder)
            return builder.build()
        }
        let texts = [
            "MemTotal:  2 kB\nHugePages_Total:  4\n", "MemTotal:  3 kB\nHugePages_Total:  5\n",
            "MemTotal:  3 kB\nActive(anon):  1 kB\n", "MemTotal:  3\n", "MemTotal:   7  kB\n",
        ]
        for text in texts {
            let expected = try MeminfoCollector.parse(text, file: "meminfo")
            let families = try collect(text)
            #expect(families.map(\.name) == expected.map { "node_memory_" + $0.name }, "\(text)")
            #expect(families.map { $0.samples.first?.value } == expected.map(\.value), "\(text)")
        }
    }

    @Test func collectsFromFixture() throws {
        var builder = MetricsBuilder()
        try MeminfoCollector(paths: Fixtures.paths).collect(into: &builder)
        let families = builder.build()
        #expect(families.value("node_memory_MemTotal_bytes") == 25_276_063_744)
        #expect(families.value("node_memory_Active_anon_bytes") == 1_568_768)
        #expect(families.value("node_memory_Inactive_file_bytes") == 690_438_144)
        #expect(families.value("node_memory_HugePages_Total") == 4)
        #expect(families.value("node_memory_Hugepagesize_bytes") == 2_097_152)
        let available = families.first { $0.name == "node_memory_MemAvailable_bytes" }
        #expect(available?.help == "Memory information field MemAvailable_bytes.")
        #expect(available?.type == .gauge)
    }
}

extension [MetricFamily] {
    fileprivate func value(_ name: String, _ labels: [String: String] = [:]) -> Double? {
        first { $0.name == name }?.samples.first { sample in
            sample.labels.count == labels.count && labels.allSatisfy { sample.labels[$0.key] == $0.value }
        }?.value
    }
}
