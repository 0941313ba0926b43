import Testing

@testable import MetricStore
import TestSupport

/// `Store.forEachSeries` against `select`: the same series in the same order with the same
/// samples, wherever they lie (blocks, head, both, overlapping), for ranges that cut chunks.
@Suite struct StoreSeriesStreamTests {
    private let load = Labels(["__name__": "node_load1", "instance": "a"])
    private let up = Labels(["__name__": "up", "instance": "a"])

    private func openStore(_ directory: TestDirectory) throws -> Store {
        var options = StoreOptions()
        options.head.blockRange = 600_000
        options.head.samplesPerChunk = 30
        return try Store.open(directory: directory.path, options: options)
    }

    private func streamed(_ store: Store, _ matchers: [LabelMatcher], minTime: Int64, maxTime: Int64) throws -> [SeriesSamples] {
        var series: [SeriesSamples] = []
        try store.forEachSeries(matchers, minTime: minTime, maxTime: maxTime) { labels, samples in
            series.append(SeriesSamples(labels: labels, samples: samples))
        }
        return series
    }

    @Test func blocksAndHeadStreamAsSelectReturnsThem() throws {
        let directory = TestDirectory()
        defer { directory.remove() }
        let store = try openStore(directory)
        defer { store.close() }
        // 1,000 samples every 10 s, cut into blocks of 600 s, then 50 more that stay in the head.
        for index in 0..<1000 {
            let t = Int64(index) * 10_000
            store.append([(load, Sample(timestamp: t, value: Double(index))), (up, Sample(timestamp: t, value: 1))])
        }
        #expect(try !store.cutBlocksIfDue().isEmpty)
        for index in 1000..<1050 {
            store.append([(load, Sample(timestamp: Int64(index) * 10_000, value: Double(index)))])
        }
        // Ranges inside one chunk, across chunk and block boundaries, into the head, and empty.
        let ranges: [(Int64, Int64)] = [
            (.min, .max), (5_000, 5_000), (15_000, 95_000), (295_000, 905_000), (9_985_000, 10_300_000),
            (10_400_000, 10_490_000), (20_000_000, 30_000_000),
        ]
        for (minTime, maxTime) in ranges {
            let selected = try store.select([try LabelMatcher("__name__", .regex, ".+")], minTime: minTime, maxTime: maxTime)
            #expect(try streamed(store, [try LabelMatcher("__name__", .regex, ".+")], minTime: minTime, maxTime: maxTime) == selected)
            let expected = (0..<1050).map { Int64($0) * 10_000 }.filter { $0 >= minTime && $0 <= maxTime }
            #expect(selected.first { $0.labels == load }?.samples.map(\.timestamp) ?? [] == expected)
        }
        let everything = try streamed(store, [], minTime: .min, maxTime: .max)
        #expect(everything.map(\.labels) == [load, up])
        #expect(everything.map(\.samples.count) == [1050, 1000])
    }

    @Test func anImportOverlappingTheHeadStreamsInTimeOrderWithoutRepeats() throws {
        let directory = TestDirectory()
        defer { directory.remove() }
        let store = try openStore(directory)
        defer { store.close() }
        for index in 0..<10 { store.append([(load, Sample(timestamp: Int64(index) * 10_000, value: 1))]) }
        // Every 5 s over the same minute and a half: half of them repeat the head's timestamps.
        let lines = (0..<19).map { "node_load1{instance=\"a\"} 2 \(Double($0) * 5)" }
        _ = try store.importOpenMetrics(Array((lines.joined(separator: "\n") + "\n# EOF\n").utf8), file: "in.om")
        let selected = try store.select([.equal("__name__", "node_load1")])
        #expect(selected.count == 1)
        #expect(selected.first?.samples.map(\.timestamp) == (0..<19).map { Int64($0) * 5_000 })
        #expect(try streamed(store, [.equal("__name__", "node_load1")], minTime: .min, maxTime: .max) == selected)
    }

    @Test func anErrorFromTheBodyEndsTheWalk() throws {
        let directory = TestDirectory()
        defer { directory.remove() }
        let store = try openStore(directory)
        defer { store.close() }
        store.append([(load, Sample(timestamp: 0, value: 1)), (up, Sample(timestamp: 0, value: 1))])
        struct Enough: Error {}
        var calls = 0
        #expect(throws: Enough.self) {
            try store.forEachSeries([], minTime: .min, maxTime: .max) { _, _ in
                calls += 1
                throw Enough()
            }
        }
        #expect(calls == 1)
    }
}
