import Testing
@testable import MetricStore

@Suite struct WALCheckpointTests {
    /// Series 1 (live) and 2 (dead), samples at t = 0…5 for both, spread over segments.
    private func populate(_ wal: WAL) throws {
        try wal.log(series: [WALFixtures.series(1, "live"), WALFixtures.series(2, "dead")])
        for t in 0..<6 as Range<Int64> {
            try wal.log(samples: [WALFixtures.sample(1, t, Double(t)), WALFixtures.sample(2, t, Double(t))])
        }
    }

    @Test func checkpointKeepsLiveSeriesAndRecentSamplesAndTruncates() throws {
        let fs = WALFixtures.fileSystem()
        let (wal, _, _) = try WALFixtures.open(fs, segmentSize: 120)
        try populate(wal)
        let stats = try wal.checkpointAndTruncate(minTime: 3) { $0 == SeriesRef(1) }
        let current = try wal.currentSegment
        #expect(stats.checkpoint == current - 1)
        #expect(stats.seriesKept == 1 && stats.seriesDropped == 1)
        #expect(stats.samplesKept == 3 && stats.samplesDropped == 9)
        #expect(try fs.list(WALFixtures.directory) == [WALFileNames.segment(current), WALFileNames.checkpoint(current - 1)])

        try wal.log(samples: [WALFixtures.sample(1, 6, 6)])
        try wal.close()
        let (records, report) = try WALFixtures.replay(fs)
        #expect(report.checkpoint == current - 1)
        #expect(report.segments == [current])
        #expect(WALFixtures.series(in: records) == [WALFixtures.series(1, "live")])
        #expect(WALFixtures.samples(in: records) == (3...6).map { WALFixtures.sample(1, Int64($0), Double($0)) })
    }

    @Test func secondCheckpointBuildsOnTheFirstAndRemovesIt() throws {
        let fs = WALFixtures.fileSystem()
        let (wal, _, _) = try WALFixtures.open(fs, segmentSize: 120)
        try populate(wal)
        let first = try wal.checkpointAndTruncate(minTime: 2) { _ in true }
        try wal.log(series: [WALFixtures.series(3, "later")])
        try wal.log(samples: [WALFixtures.sample(3, 10, 10)])
        let second = try wal.checkpointAndTruncate(minTime: 4) { $0 != SeriesRef(2) }
        #expect(second.checkpoint! > first.checkpoint!)
        let names = try fs.list(WALFixtures.directory)
        #expect(names.filter { $0.hasPrefix("checkpoint.") } == [WALFileNames.checkpoint(second.checkpoint!)])
        try wal.close()
        let (records, _) = try WALFixtures.replay(fs)
        #expect(Set(WALFixtures.series(in: records)) == [WALFixtures.series(1, "live"), WALFixtures.series(3, "later")])
        #expect(WALFixtures.samples(in: records) == [4, 5].map { WALFixtures.sample(1, $0, Double($0)) } + [WALFixtures.sample(3, 10, 10)])
    }

    /// Truncation relies on this: once `checkpoint` returns, the checkpoint survives power
    /// loss under its final name; once `truncate` returns, the segments stay gone.
    @Test func checkpointAndTruncationAreDurableWhenTheyReturn() throws {
        let fs = WALFixtures.fileSystem()
        let (wal, _, _) = try WALFixtures.open(fs, segmentSize: 120)
        try populate(wal)
        let current = try wal.cutSegment()
        try wal.checkpoint(through: current - 1, minTime: 0) { _ in true }
        let checkpointed = fs.crash(.strict)
        #expect(try checkpointed.list(WALFixtures.directory).contains(WALFileNames.checkpoint(current - 1)))
        #expect(try WALFixtures.replay(checkpointed).1.checkpoint == current - 1)
        try wal.truncate(before: current)
        #expect(try fs.crash(.strict).list(WALFixtures.directory) == [WALFileNames.segment(current), WALFileNames.checkpoint(current - 1)])
    }

    @Test func checkpointWithNothingNewIsANoOp() throws {
        let fs = WALFixtures.fileSystem()
        let (wal, _, _) = try WALFixtures.open(fs)
        #expect(try wal.checkpointAndTruncate(minTime: 0) { _ in true } == WALCheckpointStats())
        try wal.log(samples: [WALFixtures.sample(1, 1, 1)])
        let first = try wal.checkpointAndTruncate(minTime: 0) { _ in true }
        #expect(first.checkpoint == 0)
        // The current segment is empty: no new cut, nothing new to checkpoint.
        let again = try wal.checkpointAndTruncate(minTime: 0) { _ in true }
        #expect(again == WALCheckpointStats(checkpoint: 0))
    }

    @Test func checkpointOfTheSegmentInUseIsRefused() throws {
        let (wal, _, _) = try WALFixtures.open(WALFixtures.fileSystem())
        #expect(throws: WALError.segmentInUse(0)) { try wal.checkpoint(through: 0, minTime: 0) { _ in true } }
        #expect(throws: WALError.segmentInUse(0)) { try wal.truncate(before: 1) }
    }

    @Test func unknownRecordsAreCopiedIntoTheCheckpoint() throws {
        let fs = WALFixtures.fileSystem()
        try fs.createDirectory(WALFixtures.directory)
        try fs.create(WALFixtures.directory + "/00000000").write(WALRecordFrame.frame(type: 7, payload: [1, 2, 3]))
        let (wal, _, _) = try WALFixtures.open(fs)
        let stats = try wal.checkpointAndTruncate(minTime: 0) { _ in true }
        #expect(stats.unknownRecordsKept == 1)
        #expect(try WALFixtures.replay(fs).0 == [.unknown(type: 7, payload: [1, 2, 3])])
    }

    @Test func damagedInputStopsTheCheckpointAndLeavesNoTemporary() throws {
        let fs = WALFixtures.fileSystem()
        try fs.createDirectory(WALFixtures.directory)
        var frame = WALRecordEncoder.frames(samples: [WALFixtures.sample(1, 1, 1)])[0]
        frame[12] ^= 1
        try fs.create(WALFixtures.directory + "/00000000").write(frame + frame)
        let (wal, _, report) = try WALFixtures.open(fs)
        #expect(report.corruptions.count == 1)
        #expect(throws: WALCorruptionError.self) { try wal.checkpointAndTruncate(minTime: 0) { _ in true } }
        #expect(try fs.list(WALFixtures.directory) == ["00000000", "00000001"])
    }

    /// Without room for kept segments (`WALRetention.none`), open removes what the latest
    /// checkpoint superseded; with it (the default), it keeps them for a consumer resuming
    /// after the restart, but replays only what follows the checkpoint either way.
    @Test(arguments: [true, false]) func openHandlesLeftoversOfAnInterruptedCheckpoint(keeping: Bool) throws {
        let fs = WALFixtures.fileSystem()
        let (wal, _, _) = try WALFixtures.open(fs, segmentSize: 120)
        try populate(wal)
        let current = try wal.cutSegment()
        try wal.checkpoint(through: current - 1, minTime: 0) { _ in true }
        // Crash before truncation: old segments still there, and a stale temporary too.
        try fs.createDirectory(WALFixtures.directory + "/" + WALFileNames.temporaryCheckpoint(current + 5))
        try wal.close()
        let (reopened, records, report) = try WALFixtures.open(fs, retention: keeping ? WALRetention() : .none)
        try reopened.close()
        #expect(report.checkpoint == current - 1)
        #expect(WALFixtures.samples(in: records).count == 12)
        // The empty segment `current` is live: it stays, and the reopened WAL starts the next.
        let kept = keeping ? (0..<current).map(WALFileNames.segment) : []
        #expect(try fs.list(WALFixtures.directory)
            == kept + [WALFileNames.segment(current), WALFileNames.segment(current + 1), WALFileNames.checkpoint(current - 1)])
    }
}
