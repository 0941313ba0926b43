import Testing
@testable import ScaleAgent

@Suite struct EntropyCollectorTests {
    @Test func parsesBits() throws {
        #expect(try EntropyCollector.parse("3754\n", file: "entropy_avail") == 3754)
    }

    @Test(arguments: ["", "\n", "many\n", "1 2\n", "-5\n"])
    func rejectsMalformed(text: String) {
        let error = #expect(throws: ParseError.self) { try EntropyCollector.parse(text, file: "entropy_avail") }
        #expect(error?.message.contains("number of bits") == true)
    }

    @Test func collectsFromFixture() throws {
        var builder = MetricsBuilder()
        try EntropyCollector(paths: Fixtures.paths).collect(into: &builder)
        #expect(builder.build().map(\.name) == ["node_entropy_available_bits", "node_entropy_pool_size_bits"])
    }
}
