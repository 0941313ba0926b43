import Testing
@testable import ScaleAgent

@Suite struct FilefdCollectorTests {
    @Test func parsesAllocatedAndMaximum() throws {
        let handles = try FilefdCollector.parse("539\t0\t2466174\n", file: "file-nr")
        #expect(handles == .init(allocated: 539, maximum: 2_466_174))
    }

    @Test(arguments: [
        ("", "expected 3 fields"),
        ("539\t0\n", "expected 3 fields"),
        ("x\t0\t2466174\n", "allocated"),
        ("539\t0\t-1\n", "maximum"),
    ])
    func rejectsMalformed(text: String, expected: String) {
        let error = #expect(throws: ParseError.self) { try FilefdCollector.parse(text, file: "file-nr") }
        #expect(error?.file == "file-nr")
        #expect(error?.line == 1)
        #expect(error?.message.contains(expected) == true)
    }

    @Test func collectsFromFixture() throws {
        var builder = MetricsBuilder()
        try FilefdCollector(paths: Fixtures.paths).collect(into: &builder)
        let families = builder.build()
        #expect(families.value("node_filefd_allocated") == 539)
        #expect(families.value("node_filefd_maximum") == 2_466_174)
        #expect(families.first?.help == "File descriptor statistics: allocated.")
    }
}

extension [MetricFamily] {
    fileprivate func value(_ name: String, _ labels: [String: String] = [:]) -> Double? {
        first { $0.name == name }?.samples.first { sample in
            sample.labels.count == labels.count && labels.allSatisfy { sample.labels[$0.key] == $0.value }
        }?.value
    }
}
