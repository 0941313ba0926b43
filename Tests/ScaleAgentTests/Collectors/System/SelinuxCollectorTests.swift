import Testing
@testable import ScaleAgent

@Suite struct SelinuxCollectorTests {
    @Test(arguments: [
        ("SELINUX=enforcing\nSELINUXTYPE=targeted\n", 1.0),
        ("# comment\n  SELINUX=permissive # later\n", 0),
        ("SELINUX=disabled\n", -1),
        ("SELINUXTYPE=targeted\n", -1),
    ])
    func readsConfiguredMode(text: String, mode: Double) throws {
        #expect(try SelinuxCollector.parseConfigMode(text, file: "config") == mode)
    }

    @Test func rejectsAnUnknownConfiguredMode() {
        let error = #expect(throws: ParseError.self) { try SelinuxCollector.parseConfigMode("\nSELINUX=strict\n", file: "config") }
        #expect(error?.line == 2)
    }

    @Test(arguments: [("1\n", 1.0), ("0", 0)])
    func readsCurrentMode(text: String, mode: Double) throws {
        #expect(try SelinuxCollector.parseEnforce(text, file: "enforce") == mode)
    }

    @Test(arguments: ["", "2\n", "yes\n"])
    func rejectsAnUnknownCurrentMode(text: String) {
        #expect(throws: ParseError.self) { try SelinuxCollector.parseEnforce(text, file: "enforce") }
    }

    @Test func reportsDisabledWithoutSelinuxfs() throws {
        var builder = MetricsBuilder()
        try SelinuxCollector(paths: Fixtures.paths).collect(into: &builder)
        #expect(builder.build().map(\.name) == ["node_selinux_enabled"])
        #expect(builder.build().first?.samples.first?.value == 0)
    }
}
