import Logging
import MetricStore
import Testing
import TestSupport
@testable import ScaleAgent

@Suite struct TextfileCollectorTests {
    private func collect(_ collector: TextfileCollector) throws -> [MetricFamily] {
        var builder = MetricsBuilder()
        try collector.collect(into: &builder)
        return builder.build()
    }

    @Test func mergesFilesAndReportsTheirModificationTimes() throws {
        let directory = TestDirectory(prefix: "scalewatch-textfile")
        defer { directory.remove() }
        try directory.write("backup.prom", "# HELP backup_ok Backup done.\n# TYPE backup_ok gauge\nbackup_ok{db=\"a\"} 1\n")
        try directory.write("more.prom", "# TYPE backup_ok gauge\nbackup_ok{db=\"b\"} 0\n")
        try directory.write("ignored.txt", "not read\n")
        try directory.write("backup.prom.tmp", "half writ")
        let families = try collect(TextfileCollector(directory: directory.path))
        let backup = families.first { $0.name == "backup_ok" }
        #expect(backup?.help == "Backup done.")
        #expect(backup?.type == .gauge)
        #expect(backup?.samples.map { $0.labels["db"] } == ["a", "b"])
        let mtimes = families.first { $0.name == "node_textfile_mtime_seconds" }?.samples ?? []
        #expect(mtimes.map { $0.labels["file"] } == [directory.file("backup.prom"), directory.file("more.prom")])
        #expect(mtimes.allSatisfy { $0.value > 1_700_000_000 })
        #expect(families.first { $0.name == "node_textfile_scrape_error" }?.samples.first?.value == 0)
    }

    @Test func aBadFileIsLeftOutWholeAndReported() throws {
        let directory = TestDirectory(prefix: "scalewatch-textfile")
        defer { directory.remove() }
        try directory.write("good.prom", "job_ok 1\n")
        try directory.write("bad.prom", "job_runs 3\njob_broken{ 2\n")
        let families = try collect(TextfileCollector(directory: directory.path))
        #expect(families.map(\.name).contains("job_ok"))
        #expect(!families.map(\.name).contains("job_runs"))
        #expect(families.first { $0.name == "node_textfile_scrape_error" }?.samples.first?.value == 1)
        let files = families.first { $0.name == "node_textfile_mtime_seconds" }?.samples.map { $0.labels["file"] }
        #expect(files == [directory.file("good.prom")])
    }

    @Test(arguments: [
        ("a.prom", "# TYPE x counter\nx 1\n", "b.prom", "# TYPE x gauge\nx{k=\"v\"} 1\n"),
        ("a.prom", "x{k=\"v\"} 1\n", "b.prom", "x{k=\"v\"} 2\n"),
        ("a.prom", "# TYPE h histogram\nh_count 1\n", "b.prom", "# TYPE h_count counter\nh_count{k=\"v\"} 1\n"),
    ])
    func aFileThatContradictsAnEarlierOneIsLeftOut(first: String, firstText: String, second: String, secondText: String) throws {
        let directory = TestDirectory(prefix: "scalewatch-textfile")
        defer { directory.remove() }
        try directory.write(first, firstText)
        try directory.write(second, secondText)
        let families = try collect(TextfileCollector(directory: directory.path))
        #expect(families.first { $0.name == "node_textfile_scrape_error" }?.samples.first?.value == 1)
        #expect(families.first { $0.name == "node_textfile_mtime_seconds" }?.samples.count == 1)
    }

    @Test func aMissingDirectoryIsAnErrorMetricNotAFailure() throws {
        let families = try collect(TextfileCollector(directory: "/nonexistent/textfile"))
        #expect(families.map(\.name) == ["node_textfile_scrape_error"])
        #expect(families.first?.samples.first?.value == 1)
    }

    @Test func withoutADirectoryOnlyTheErrorMetric() throws {
        let families = try collect(TextfileCollector(directory: nil))
        #expect(families.map(\.name) == ["node_textfile_scrape_error"])
        #expect(families.first?.samples.first?.value == 0)
    }

    @Test func aNameAnotherCollectorReportsWithAnotherTypeFailsTheMergeNotTheAgent() {
        var builder = MetricsBuilder()
        builder.gauge("node_load1", "1m load average.", 0.5)
        let conflicts = builder.appendChecked(contentsOf: [MetricFamily(name: "node_load1", help: "", type: .counter)])
        #expect(conflicts == ["node_load1"])
        #expect(builder.build().count == 1)
    }
}
