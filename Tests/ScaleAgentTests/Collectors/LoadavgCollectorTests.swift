import Testing
@testable import ScaleAgent

@Suite struct LoadavgCollectorTests {
    @Test func parsesTheThreeAverages() throws {
        let load = try LoadavgCollector.parse("0.32 0.19 0.07 1/115 5775\n", file: "loadavg")
        #expect(load == .init(one: 0.32, five: 0.19, fifteen: 0.07))
    }

    @Test(arguments: [
        ("", "expected 3 load averages"),
        ("0.32 0.19\n", "expected 3 load averages"),
        ("0.32 x 0.07 1/115 5775\n", "load average 2"),
        ("0.32 0.19 nan 1/115 5775\n", "load average 3"),
        ("-1 0.19 0.07 1/115 5775\n", "load average 1"),
    ])
    func rejectsMalformed(text: String, expected: String) {
        let error = #expect(throws: ParseError.self) { try LoadavgCollector.parse(text, file: "loadavg") }
        #expect(error?.file == "loadavg")
        #expect(error?.line == 1)
        #expect(error?.message.contains(expected) == true)
    }

    @Test func collectsFromFixture() throws {
        var builder = MetricsBuilder()
        try LoadavgCollector(paths: Fixtures.paths).collect(into: &builder)
        let families = builder.build()
        #expect(families.map(\.name) == ["node_load1", "node_load5", "node_load15"])
        #expect(families.value("node_load1") == 0.32)
        #expect(families.value("node_load15") == 0.07)
        #expect(families.allSatisfy { $0.type == .gauge && $0.help.hasSuffix("load average.") })
    }
}

extension [MetricFamily] {
    fileprivate func value(_ name: String, _ labels: [String: String] = [:]) -> Double? {
        first { $0.name == name }?.samples.first { sample in
            sample.labels.count == labels.count && labels.allSatisfy { sample.labels[$0.key] == $0.value }
        }?.value
    }
}
