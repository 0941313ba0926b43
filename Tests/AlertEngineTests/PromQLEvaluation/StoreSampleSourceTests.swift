import AlertEngine
import MetricStore
import TestSupport
import Testing

/// The engine over the real store: samples appended to a Store are what queries see.
struct StoreSampleSourceTests {
    @Test func queriesReadTheStore() throws {
        let directory = TestDirectory(prefix: "scalewatch-eval-store")
        defer { directory.remove() }
        let store = try Store.open(directory: directory.path)
        defer { store.close() }
        let labels = Labels(["__name__": "requests_total", "job": "api"])
        _ = store.append((0...20).map { (labels: labels, sample: Sample(timestamp: Int64($0) * 15_000, value: Double($0) * 30)) })
        _ = store.append([(labels: labels, sample: Sample(timestamp: 21 * 15_000, value: StaleMarker.value))])

        let engine = QueryEngine(source: store)
        let rate = try engine.instantQuery(try PromQLParser.parse("rate(requests_total[1m])"), at: 300_000)
        guard case let .vector(samples) = rate, samples.count == 1 else {
            Issue.record("expected one sample, got \(rate)")
            return
        }
        #expect(samples[0].labels == Labels(["job": "api"]))
        #expect(abs(samples[0].value - 2) < 1e-9)
        let afterStale = try engine.instantQuery(try PromQLParser.parse("requests_total"), at: 330_000)
        #expect(afterStale == .vector([]))
    }
}
