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

    /// A cut frees the slot of a series it empties, and the next new series takes it: a caller
    /// whose cache still names the old series at that slot must not write into the new one.
    @Test func aReusedSlotIsNotWrittenThroughAStaleCache() throws {
        var options = HeadOptions()
        options.blockRange = 1000
        let head = Head(options: options)
        var stale = SeriesRefCache()
        _ = head.append([(labels("old"), Sample(timestamp: 0, value: 1))], cache: &stale)
        _ = head.cut(before: 1000)
        var other = SeriesRefCache()
        _ = head.append([(labels("new"), Sample(timestamp: 1500, value: 2))], cache: &other)
        let result = head.append([(labels("old"), Sample(timestamp: 1600, value: 3))], cache: &stale)
        #expect(result.newSeries.count == 1)
        #expect(try samples(head, "old") == [3])
        #expect(try samples(head, "new") == [2])
    }

    /// The steady state leaves the cache as it was; a shorter batch rebuilds it.
    @Test func aSteadyBatchKeepsTheCacheAndAShorterOneRebuildsIt() throws {
        let head = Head()
        var cache = SeriesRefCache()
        let names = ["a", "b", "c"]
        _ = head.append(names.map { (labels($0), Sample(timestamp: 0, value: 0)) }, cache: &cache)
        let refs = cache.refs
        _ = head.append(names.map { (labels($0), Sample(timestamp: 1, value: 1)) }, cache: &cache)
        #expect(cache.refs == refs)
        _ = head.append([(labels("a"), Sample(timestamp: 2, value: 2))], cache: &cache)
        #expect(cache.refs == [refs[0]])
        #expect(cache.slots.count == 1)
        #expect(try samples(head, "a") == [0, 1, 2])
    }

    @Test func theLiveRefSetHoldsExactlyTheHeadsSeries() throws {
        var options = HeadOptions()
        options.blockRange = 1000
        let head = Head(options: options)
        let first = head.append((0..<100).map { (labels("s\($0)"), Sample(timestamp: 0, value: 0)) })
        let kept = head.append((0..<70).map { (labels("k\($0)"), Sample(timestamp: 1500, value: 0)) })
        _ = head.cut(before: 1000)
        let live = head.liveSeriesRefs()
        #expect(first.newSeries.allSatisfy { !live.contains($0.ref) })
        #expect(kept.newSeries.allSatisfy { live.contains($0.ref) })
        #expect(!live.contains(SeriesRef(10_000)))
    }
}
