@testable import AlertEngine
import MetricStore
import Testing
import TestSupport

/// Selectors read a `Store` one series at a time (`forEachSeries`); a query must give what it
/// gives on the same series selected whole and held in memory, stale markers included.
@Suite struct StoreStreamingQueryTests {
    @Test(arguments: [
        "m", "count(m)", "topk(1, m)", "rate(m[1m])", "max_over_time(m[2m])", "min_over_time(m[45s])",
        "count_over_time(m[1m])", "last_over_time(m[30s])", "sum(rate(m[5m])) by (i)",
    ])
    func aQueryOnTheStoreEqualsItOnTheSelectedSeries(_ query: String) throws {
        let directory = TestDirectory()
        defer { directory.remove() }
        var options = StoreOptions()
        options.head.blockRange = 120_000
        let store = try Store.open(directory: directory.path, options: options)
        defer { store.close() }
        // Series a ends at 300 s with a stale marker and comes back at 400 s; some of it is cut
        // into blocks, the rest stays in the head.
        for index in 0..<600 {
            let time = Int64(index) * 1000
            var samples = [(Labels(["__name__": "m", "i": "b"]), Sample(timestamp: time, value: Double(index % 50)))]
            if index <= 300 || index >= 400 {
                samples.append((Labels(["__name__": "m", "i": "a"]), Sample(timestamp: time, value: index == 300 ? StaleMarker.value : Double(index))))
            }
            store.append(samples)
        }
        #expect(try !store.cutBlocksIfDue().isEmpty)
        let memory = MemorySampleSource(try store.select([]))
        let expr = try PromQLParser.parse(query)
        let onStore = try QueryEngine(source: store).rangeQuery(expr, start: 0, end: 600_000, step: 15_000)
        let inMemory = try QueryEngine(source: memory).rangeQuery(expr, start: 0, end: 600_000, step: 15_000)
        #expect(!onStore.isEmpty)
        #expect(onStore == inMemory)
    }
}
