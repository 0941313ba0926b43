import Testing
@testable import ScaleAgent

@Suite struct VmstatCollectorTests {
    static let vmstat = """
        nr_free_pages 877887
        pgpgin 1743093
        pgfault 4181876
        pgmajfault 1342
        pgsteal_kswapd 0
        oom_kill 3

        """

    @Test func keepsOnlyTheDefaultFields() throws {
        let fields = try VmstatCollector.parse(Self.vmstat, file: "vmstat", fields: VmstatCollector.defaultFields)
        let expected: [VmstatCollector.Field] = [
            .init(name: "pgpgin", value: 1_743_093),
            .init(name: "pgfault", value: 4_181_876),
            .init(name: "pgmajfault", value: 1342),
            .init(name: "oom_kill", value: 3),
        ]
        #expect(fields == expected)
    }

    @Test func aConfiguredPatternSelectsOtherFields() throws {
        let fields = try VmstatCollector.parse(Self.vmstat, file: "vmstat", fields: Pattern("^pgsteal_"))
        #expect(fields == [.init(name: "pgsteal_kswapd", value: 0)])
    }

    static let malformed: [(text: String, line: Int, expected: String)] = [
        ("pgpgin\n", 1, "found 1 fields"),
        ("pgpgin 1\npgpgout 2 3\n", 2, "found 3 fields"),
        ("pgpgin 1\npgpgout x\n", 2, "found 'x'"),
        // Unselected lines are checked too: a broken file is noticed whatever the pattern.
        ("nr_free_pages -5\npgpgin 1\n", 1, "found '-5'"),
        ("pgpg-in 1\n", 1, "does not make a metric name"),
    ]

    @Test(arguments: malformed)
    func rejectsMalformed(text: String, line: Int, expected: String) {
        let error = #expect(throws: ParseError.self) {
            try VmstatCollector.parse(text, file: "vmstat", fields: VmstatCollector.defaultFields)
        }
        #expect(error?.file == "vmstat")
        #expect(error?.line == line)
        #expect(error?.message.contains(expected) == true)
    }

    /// The collector's fast path (`LineNameCache`) reports what `parse` reports, malformed
    /// files included, and follows a file whose names change.
    @Test(arguments: malformed)
    func collectingAMalformedFileFailsAsParseDoes(text: String, line: Int, expected: String) {
        let error = collectionError({ VmstatCollector(paths: $0) }, file: "vmstat", text: text)
        #expect(error?.line == line)
        #expect(error?.message.contains(expected) == true)
    }

    @Test func collectionsFollowTheFileAsItChanges() throws {
        let tree = ScratchTree()
        let collector = VmstatCollector(paths: HostPaths(procfs: tree.root))
        for text in ["pgpgin 1\noom_kill 2\n", "pgpgin 3\noom_kill 4\n", "oom_kill 5\nnr_free 1\npgfault 6\n", "pgpgin  7\n"] {
            tree.write("vmstat", text)
            var builder = MetricsBuilder()
            try collector.collect(into: &builder)
            let expected = try VmstatCollector.parse(text, file: "vmstat", fields: VmstatCollector.defaultFields)
            #expect(builder.build().map(\.name) == expected.map { "node_vmstat_" + $0.name }, "\(text)")
            #expect(builder.build().map { $0.samples.first?.value } == expected.map(\.value), "\(text)")
        }
    }

    @Test func collectsFromFixtureAsCounters() throws {
        var builder = MetricsBuilder()
        try VmstatCollector(paths: Fixtures.paths).collect(into: &builder)
        let families = builder.build()
        #expect(
            families.map(\.name) == [
                "node_vmstat_pgpgin", "node_vmstat_pgpgout", "node_vmstat_pswpin", "node_vmstat_pswpout",
                "node_vmstat_pgfault", "node_vmstat_pgmajfault", "node_vmstat_oom_kill",
            ])
        #expect(families.allSatisfy { $0.type == .counter })
        #expect(families.value("node_vmstat_oom_kill") == 3)
        #expect(families.value("node_vmstat_pswpout") == 34)
        #expect(families.last?.help == "/proc/vmstat information field oom_kill.")
    }
}

extension [MetricFamily] {
    fileprivate func value(_ name: String, _ labels: [String: String] = [:]) -> Double? {
        first { $0.name == name }?.samples.first { sample in
            sample.labels.count == labels.count && labels.allSatisfy { sample.labels[$0.key] == $0.value }
        }?.value
    }
}
