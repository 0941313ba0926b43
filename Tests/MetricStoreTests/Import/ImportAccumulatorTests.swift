import Testing

@testable import MetricStore

@Suite struct ImportAccumulatorTests {
    private let up = Labels(["__name__": "up"])
    private let load = Labels(["__name__": "node_load1"])

    private func samples(_ timestamps: some Sequence<Int64>) -> [Sample] {
        timestamps.map { Sample(timestamp: $0, value: Double($0) / 7) }
    }

    /// What `Store.importSeries` would make of the whole series at once.
    private func allAtOnce(_ series: [(Labels, [Sample])], blockRange: Int64, chunkSamples: Int) -> EncodedImport {
        var encoded = EncodedImport()
        for (labels, samples) in series {
            let (ordered, dropped) = samples.inTimeOrderWithoutRepeats()
            encoded.skippedSamples += dropped
            encoded.add(labels, ordered: ordered, blockRange: blockRange, chunkSamples: chunkSamples)
        }
        return encoded
    }

    private func expectSame(_ lhs: EncodedImport, _ rhs: EncodedImport) {
        #expect(lhs.series == rhs.series && lhs.samples == rhs.samples && lhs.skippedSamples == rhs.skippedSamples)
        #expect(lhs.byRange.keys.sorted() == rhs.byRange.keys.sorted())
        for (range, series) in lhs.byRange {
            let other = rhs.byRange[range] ?? []
            #expect(series.map(\.0) == other.map(\.0), "series order in range \(range)")
            #expect(series.map(\.1) == other.map(\.1), "chunks in range \(range)")
        }
    }

    @Test(arguments: [1, 3, 10, 64])
    func chunksEndAtTheLimitAndAtEveryBlockRangeWhateverTheBatches(_ batch: Int) {
        // 0…249 every 1 ms in ranges of 100 with chunks of 30: cuts at 30, 60, 90, 100, 130, …
        let all = samples(0..<250)
        var accumulator = ImportAccumulator(blockRange: 100, chunkSamples: 30)
        for start in stride(from: 0, to: all.count, by: batch) {
            accumulator.add(up, Array(all[start..<min(all.count, start + batch)]))
            accumulator.add(load, Array(all[start..<min(all.count, start + batch)].prefix(1)))
        }
        let result = accumulator.finish()
        expectSame(result, allAtOnce([(up, all), (load, stride(from: 0, to: 250, by: batch).map { all[$0] })], blockRange: 100, chunkSamples: 30))
        #expect(result.byRange[0]!.first!.1.map(\.sampleCount) == [30, 30, 30, 10])
        #expect(result.byRange[200]!.first!.1.map(\.sampleCount) == [30, 20])
        #expect(result.samples == 250 + (250 + batch - 1) / batch)
    }

    @Test func aSeriesThatGoesBackIsSortedWithTheFirstSampleOfATimestampWinning() throws {
        var first = samples(0..<70)
        first[5].value = 1000  // kept: it comes before the repeat of timestamp 5 below
        let late = [Sample(timestamp: 5, value: -1), Sample(timestamp: 200, value: 2), Sample(timestamp: 150, value: 3)]
        let more = samples(70..<80)
        var accumulator = ImportAccumulator(blockRange: 100, chunkSamples: 30)
        accumulator.add(up, first)
        accumulator.add(load, first)
        accumulator.add(up, late)
        accumulator.add(up, more)
        let result = accumulator.finish()
        expectSame(result, allAtOnce([(up, first + late + more), (load, first)], blockRange: 100, chunkSamples: 30))
        #expect(result.skippedSamples == 1)
        #expect(result.samples == 70 + 82)
        let upChunks = result.byRange[0]!.first { $0.0 == up }!.1
        let decoded = try upChunks.flatMap { try CompactChunkCodec.decode($0.bytes) }
        #expect(decoded.map(\.timestamp) == Array(0..<80))
        #expect(decoded[5].value == 1000)
        #expect(result.byRange[100]!.first!.1.flatMap { try! CompactChunkCodec.decode($0.bytes) }.map(\.timestamp) == [150])
    }

    @Test func anIdleSeriesParksItsTailAndPicksItUpAgain() {
        // `up` is idle for a window (parked as a 20-sample chunk), then goes on in order and
        // later goes back; `load` ends while parked.
        let all = samples(0..<150)
        var accumulator = ImportAccumulator(blockRange: 100, chunkSamples: 30)
        accumulator.add(up, Array(all[0..<50]))
        accumulator.add(load, Array(all[0..<20]))
        accumulator.endWindow()
        accumulator.endWindow()
        accumulator.add(up, Array(all[50..<120]))
        accumulator.endWindow()
        accumulator.endWindow()
        accumulator.add(up, Array(all[120..<150]))
        expectSame(accumulator.finish(), allAtOnce([(up, all), (load, Array(all[0..<20]))], blockRange: 100, chunkSamples: 30))

        var goingBack = ImportAccumulator(blockRange: 100, chunkSamples: 30)
        goingBack.add(up, Array(all[0..<50]))
        goingBack.endWindow()
        goingBack.endWindow()
        goingBack.add(up, Array(all[10..<60]))
        expectSame(goingBack.finish(), allAtOnce([(up, Array(all[0..<50]) + all[10..<60])], blockRange: 100, chunkSamples: 30))
    }

    @Test func aRepeatedTimestampAloneAlsoFallsBack() {
        var accumulator = ImportAccumulator(blockRange: 100, chunkSamples: 2)
        accumulator.add(up, samples([1, 2, 3, 3, 4]))
        let result = accumulator.finish()
        expectSame(result, allAtOnce([(up, samples([1, 2, 3, 4]))], blockRange: 100, chunkSamples: 2).with(skipped: 1))
    }
}

extension EncodedImport {
    fileprivate func with(skipped: Int) -> EncodedImport {
        var copy = self
        copy.skippedSamples = skipped
        return copy
    }
}
