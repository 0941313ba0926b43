import Testing

@testable import MetricStore

/// The series-ref cache is only a shortcut: whatever the batches do — reorder, add, drop
/// series, or come back after a cut removed a series from the head — every sample lands on
/// the series its labels name, exactly as without the cache.
@Suite struct SeriesRefCacheTests {
    private func labels(_ name: String) -> Labels { Labels(["__name__": name]) }

    private func samples(_ head: Head, _ name: String) throws -> [Double] {
        try head.select([.equal("__name__", name)], minTime: .min, maxTime: .max)
            .flatMap { try $0.chunks.flatMap { try $0.samples() } }.map(\.value)
    }

    @Test func reorderedAddedAndDroppedSeriesLandOnTheirOwnSeries() throws {
        let head = Head()
        var cache = SeriesRefCache()
        let batches: [[String]] = [["a", "b", "c"], ["a", "b", "c"], ["c", "a", "b"], ["a", "d", "c"], ["a", "d", "c"]]
        for (time, names) in batches.enumerated() {
            let batch = names.map { (labels($0), Sample(timestamp: Int64(time), value: Double(time * 10 + Int($0.unicodeScalars.first!.value) - 96))) }
            let result = head.append(batch, cache: &cache)
            #expect(result.appended.count == names.count)
        }
        #expect(try samples(head, "a") == [1, 11, 21, 31, 41])
        #expect(try samples(head, "b") == [2, 12, 22])
        #expect(try samples(head, "c") == [3, 13, 23, 33, 43])
        #expect(try samples(head, "d") == [34, 44])
        #expect(head.stats().series == 4)
    }

    @Test func aSeriesCutFromTheHeadIsCreatedAgainNotWrittenToItsOldRef() throws {
        var options = HeadOptions()
        options.blockRange = 1000
        let head = Head(options: options)
        var cache = SeriesRefCache()
        let first = head.append([(labels("a"), Sample(timestamp: 0, value: 1))], cache: &cache)
        _ = head.cut(before: 1000)
        #expect(head.stats().series == 0)
        let second = head.append([(labels("a"), Sample(timestamp: 1500, value: 2))], cache: &cache)
        #expect(second.newSeries.count == 1)
        #expect(second.newSeries.first?.ref != first.newSeries.first?.ref)
        #expect(try samples(head, "a") == [2])
    }
}
