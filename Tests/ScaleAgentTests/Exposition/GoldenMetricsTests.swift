import Logging
import Testing

#if canImport(Glibc)
import Glibc
#endif

@testable import ScaleAgent

/// Every collector on the fixture /proc and /sys trees, rendered as `/metrics` would serve it,
/// against committed golden files. `promtool check metrics` lints the text one in the
/// integration tests. Re-record on purpose only: SCALEWATCH_RECORD_GOLDEN=1 swift test.
@Suite struct GoldenMetricsTests {
    static let goldenDirectory = Fixtures.directory + "/golden"

    /// Durations vary from run to run; everything else on the fixtures is fixed.
    private func collectFixtures() async -> [MetricFamily] {
        let system = FixtureHostSystem(maximumHang: .seconds(5))
        var settings = CollectorSettings()
        settings.enabled = Set(CollectorSettings.allNames)
        settings.filesystemStatTimeout = .milliseconds(200)
        let collectors = CollectorCatalog.make(settings: settings, paths: Fixtures.paths, system: system)
        let runner = CollectorRunner(collectors: collectors, timeout: .seconds(10), logger: Logger(label: "golden"))
        let families = await runner.collectAll()
        system.releaseHungMount()
        _ = await runner.shutdown(within: .seconds(10))
        return families.filter { $0.name != "scalewatch_collector_duration_seconds" }
    }

    @Test(arguments: [(ExpositionFormat.text, "metrics.prom"), (.openMetrics, "metrics.om")])
    func allCollectorsOnTheFixtureTree(_ format: ExpositionFormat, _ file: String) async throws {
        let rendered = String(decoding: ExpositionRenderer.render(await collectFixtures(), as: format), as: UTF8.self)
        let path = Self.goldenDirectory + "/" + file
        if let record = getenv("SCALEWATCH_RECORD_GOLDEN"), String(cString: record) == "1" {
            try write(rendered, to: path)
        }
        let golden = try FileReading.string(atPath: path)
        let renderedLines = rendered.split(separator: "\n", omittingEmptySubsequences: false)
        let goldenLines = golden.split(separator: "\n", omittingEmptySubsequences: false)
        for (index, (got, want)) in zip(renderedLines, goldenLines).enumerated() where got != want {
            Issue.record("\(file):\(index + 1): expected \(want)\n got \(got)")
            return
        }
        #expect(renderedLines.count == goldenLines.count, "\(file): line count differs")
    }

    @Test func everyCollectorSucceedsOnTheFixtures() async {
        let success = await collectFixtures().first { $0.name == "scalewatch_collector_success" }
        let failed = success?.samples.filter { $0.value != 1 }.compactMap { $0.labels["collector"] } ?? ["all"]
        #expect(failed.isEmpty, "failed on fixtures: \(failed)")
    }

    private func write(_ text: String, to path: String) throws {
        guard let file = fopen(path, "w") else { throw FileReadError(path: path, errno: errno) }
        defer { fclose(file) }
        fputs(text, file)
    }
}
