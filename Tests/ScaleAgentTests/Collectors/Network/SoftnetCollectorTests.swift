import Testing
@testable import ScaleAgent

@Suite struct SoftnetCollectorTests {
    @Test func readsFirstThreeHexColumnsPerCPU() throws {
        let rows = try SoftnetCollector.parse(
            "0000000a 00000001 00000002 0 0 0 0 0 0 0 0\n000000ff 00000000 00000010 0 0 0 0 0 0 0 0 0 00000001\n",
            file: "softnet_stat")
        #expect(rows == [.init(processed: 10, dropped: 1, timesSqueezed: 2), .init(processed: 255, dropped: 0, timesSqueezed: 16)])
    }

    @Test(arguments: [
        ("0 0 0\n", 1, "at least 11 columns"),
        ("0 0 0 0 0 0 0 0 0 0 0\nq 0 0 0 0 0 0 0 0 0 0\n", 2, "processed"),
        ("0 0 0 0 0 0 0 0 0 0 0\n0 0 -1 0 0 0 0 0 0 0 0\n", 2, "time_squeezed"),
    ])
    func rejectsMalformed(text: String, line: Int, expected: String) {
        let error = #expect(throws: ParseError.self) { try SoftnetCollector.parse(text, file: "softnet_stat") }
        #expect(error?.line == line)
        #expect(error?.message.contains(expected) == true)
    }

    @Test func collectsFromFixture() throws {
        var builder = MetricsBuilder()
        try SoftnetCollector(paths: Fixtures.paths).collect(into: &builder)
        let dropped = builder.build().first { $0.name == "node_softnet_dropped_total" }
        #expect(dropped?.type == .counter)
        #expect(dropped?.samples.map { $0.labels["cpu"] } == ["0", "1"])
        #expect(dropped?.samples.map(\.value) == [0, 2])
    }
}
