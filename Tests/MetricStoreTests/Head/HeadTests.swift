import Testing

@testable import MetricStore

@Suite struct HeadTests {
    private let cpu0 = Labels(["__name__": "node_cpu_seconds_total", "cpu": "0", "mode": "idle"])
    private let cpu1 = Labels(["__name__": "node_cpu_seconds_total", "cpu": "1", "mode": "idle"])
    private let load = Labels(["__name__": "node_load1"])

    private func samples(_ head: Head, _ matchers: [LabelMatcher], from: Int64 = .min, to: Int64 = .max) throws -> [Labels: [Sample]] {
        var result: [Labels: [Sample]] = [:]
        for series in head.select(matchers, minTime: from, maxTime: to) {
            result[series.labels] = try series.chunks.flatMap { try $0.samples() }.filter { $0.timestamp >= from && $0.timestamp <= to }
        }
        return result
    }

    @Test func appendsAndSelectsByMatchers() throws {
        let head = Head()
        let result = head.append([
            (cpu0, Sample(timestamp: 1000, value: 1)), (cpu1, Sample(timestamp: 1000, value: 2)),
            (load, Sample(timestamp: 1000, value: 0.5)), (cpu0, Sample(timestamp: 2000, value: 3)),
        ])
        #expect(result.newSeries.map(\.labels) == [cpu0, cpu1, load])
        #expect(result.appended.count == 4)

        let all = try samples(head, [.equal("__name__", "node_cpu_seconds_total")])
        #expect(all[cpu0] == [Sample(timestamp: 1000, value: 1), Sample(timestamp: 2000, value: 3)])
        #expect(all[cpu1] == [Sample(timestamp: 1000, value: 2)])
        #expect(try samples(head, [try LabelMatcher("cpu", .regex, "1|2")]).keys.sorted() == [cpu1])
        #expect(try samples(head, [try LabelMatcher("cpu", .notEqual, "0")]).keys.sorted() == [cpu1, load])
        // A matcher that matches the empty value selects series without the label.
        #expect(try samples(head, [.equal("cpu", "")]).keys.sorted() == [load])
        #expect(try samples(head, [try LabelMatcher("__name__", .notRegex, "node_cpu.*")]).keys.sorted() == [load])
        #expect(head.labelNames() == ["__name__", "cpu", "mode"])
        #expect(head.labelValues("cpu") == ["0", "1"])
    }

    @Test func outOfOrderAndDuplicatesAreRefusedPerSeries() {
        let head = Head()
        _ = head.append([(cpu0, Sample(timestamp: 2000, value: 1))])
        let result = head.append([
            (cpu0, Sample(timestamp: 1000, value: 9)), (cpu0, Sample(timestamp: 2000, value: 1)),
            (cpu1, Sample(timestamp: 1000, value: 2)),
        ])
        #expect(result.outOfOrder == 1)
        #expect(result.duplicates == 1)
        #expect(result.appended.map(\.ref) == [SeriesRef(2)])
        #expect(head.stats().outOfOrderSamples == 1)
    }

    @Test func chunksAreCutBySizeAndAtBlockBoundaries() {
        var options = HeadOptions()
        options.samplesPerChunk = 10
        options.blockRange = 100_000
        let head = Head(options: options)
        // 25 samples every 1 s from t=80 s: 10 + 10 by size, then the 100 s boundary.
        _ = head.append((0..<25).map { (load, Sample(timestamp: 80_000 + Int64($0) * 1000, value: Double($0))) })
        let chunks = head.select([.equal("__name__", "node_load1")], minTime: .min, maxTime: .max)[0].chunks
        #expect(chunks.map(\.count) == [10, 10, 5])
        #expect(chunks.map(\.minTime) == [80_000, 90_000, 100_000])
    }

    @Test func cutRemovesChunksBeforeTheBoundaryAndEmptySeries() throws {
        var options = HeadOptions()
        options.blockRange = 10_000
        let head = Head(options: options)
        _ = head.append([
            (cpu0, Sample(timestamp: 1000, value: 1)), (cpu0, Sample(timestamp: 12_000, value: 2)),
            (cpu1, Sample(timestamp: 2000, value: 3)),
        ])
        let cut = head.cut(before: 10_000)
        #expect(cut.map(\.labels) == [cpu0, cpu1])
        #expect(try cut[0].chunks.flatMap { try $0.samples() } == [Sample(timestamp: 1000, value: 1)])
        // cpu1 had nothing left and is gone; cpu0 keeps its later sample.
        #expect(head.stats().series == 1)
        #expect(try samples(head, [])[cpu0] == [Sample(timestamp: 12_000, value: 2)])
        #expect(head.labelValues("cpu") == ["0"])
        #expect(head.stats().minTime == 12_000)
    }

    @Test func replayRestoresSeriesUnderTheirRefs() throws {
        let head = Head()
        head.restoreSeries(SeriesRef(7), load)
        let restored = head.restoreSamples([
            (SeriesRef(7), Sample(timestamp: 1, value: 1)), (SeriesRef(9), Sample(timestamp: 1, value: 1)),
        ])
        #expect(restored.restored == 1 && restored.dropped == 1)
        // New series continue after the highest restored ref.
        #expect(head.append([(cpu0, Sample(timestamp: 5, value: 1))]).newSeries.first?.ref == SeriesRef(8))
    }

    @Test func staleMarkerIsKeptBitForBit() throws {
        let head = Head()
        _ = head.append([(load, Sample(timestamp: 1, value: 1)), (load, Sample(timestamp: 2, value: StaleMarker.value))])
        let stored = try samples(head, [])[load]!
        #expect(stored[1].value.bitPattern == StaleMarker.bitPattern)
    }
}
