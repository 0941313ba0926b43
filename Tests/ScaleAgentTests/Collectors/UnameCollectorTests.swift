import Testing
@testable import ScaleAgent

@Suite struct UnameCollectorTests {
    @Test func reportsUnameAsLabels() throws {
        var builder = MetricsBuilder()
        try UnameCollector(system: FixtureHostSystem()).collect(into: &builder)
        let families = builder.build()
        #expect(families.map(\.name) == ["node_uname_info"])
        #expect(families[0].type == .gauge)
        #expect(families[0].help == "Labeled system information as provided by the uname system call.")
        let sample = families[0].samples[0]
        #expect(sample.value == 1)
        #expect(sample.labels.pairs.map(\.name) == ["domainname", "machine", "nodename", "release", "sysname", "version"])
        #expect(sample.labels["nodename"] == "db-1")
        #expect(sample.labels["sysname"] == "Linux")
        #expect(sample.labels["version"] == "#1 SMP PREEMPT_DYNAMIC Debian 6.1.76-1 (2024-02-01)")
    }
}
