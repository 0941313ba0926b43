import Testing
@testable import MetricStore

/// Truncation keeps the segments a consumer's low-watermark still needs, within the retention
/// bounds, without replaying them or reading them into the next checkpoint.
@Suite struct WALRetentionTests {
    struct PlanCase: CustomTestStringConvertible, Sendable {
        let name: String
        let candidates: [Int]
        let floor: Int?
        let maxBytes: Int
        /// Seconds each candidate has been kept already (missing: just now).
        var ages: [Int: Int] = [:]
        let kept: [Int]
        let dropped: [Int]
        var testDescription: String { name }
    }

    static let planCases: [PlanCase] = [
        PlanCase(name: "no consumer", candidates: [0, 1, 2], floor: nil, maxBytes: 1000, kept: [], dropped: []),
        PlanCase(name: "everything needed fits", candidates: [0, 1, 2], floor: 0, maxBytes: 1000, kept: [0, 1, 2], dropped: []),
        PlanCase(name: "consumer past some", candidates: [0, 1, 2], floor: 2, maxBytes: 1000, kept: [2], dropped: []),
        PlanCase(name: "consumer past all", candidates: [0, 1, 2], floor: 7, maxBytes: 1000, kept: [], dropped: []),
        PlanCase(name: "size bound keeps the newest", candidates: [0, 1, 2, 3], floor: 0, maxBytes: 250, kept: [2, 3], dropped: [0, 1]),
        PlanCase(name: "nothing fits", candidates: [0, 1], floor: 0, maxBytes: 50, kept: [], dropped: [0, 1]),
        PlanCase(name: "no room at all", candidates: [0, 1], floor: 0, maxBytes: 0, kept: [], dropped: [0, 1]),
        PlanCase(name: "age bound drops the oldest", candidates: [0, 1, 2], floor: 0, maxBytes: 1000, ages: [0: 20, 1: 11, 2: 5],
                 kept: [2], dropped: [0, 1]),
        PlanCase(name: "a hole ends the kept run", candidates: [0, 2, 3], floor: 0, maxBytes: 1000, kept: [2, 3], dropped: [0]),
    ]

    @Test(arguments: planCases) func plan(_ test: PlanCase) {
        let now = ContinuousClock.now
        var since: [Int: ContinuousClock.Instant] = [:]
        for (segment, age) in test.ages { since[segment] = now - .seconds(age) }
        let sizes = Dictionary(uniqueKeysWithValues: test.candidates.map { ($0, 100) })
        let plan = WALRetentionPlan(
            candidates: test.candidates, floor: test.floor, sizes: sizes, keptSince: since, now: now,
            retention: WALRetention(maxBytes: test.maxBytes, maxAge: .seconds(10)))
        #expect(plan.kept == test.kept)
        #expect(plan.dropped == test.dropped)
        #expect(plan.removed == test.candidates.filter { !test.kept.contains($0) })
        #expect(plan.keptBytes == 100 * test.kept.count)
    }

    /// Series 1, then samples at t = 0…5: six records over several 120-byte segments.
    private func populate(_ wal: WAL, from: Int64 = 0) throws {
        if from == 0 { try wal.log(series: [WALFixtures.series(1)]) }
        for t in from..<(from + 6) { try wal.log(samples: [WALFixtures.sample(1, t, Double(t))]) }
    }

    @Test func keptSegmentsAreNeitherReplayedNorCheckpointedAgain() throws {
        let fs = WALFixtures.fileSystem()
        let (wal, _, _) = try WALFixtures.open(fs, segmentSize: 120)
        wal.setLowWatermark(0, consumer: "shipper")
        try populate(wal)
        let first = try wal.checkpointAndTruncate(minTime: 0) { _ in true }
        let current = try wal.currentSegment
        #expect(first.samplesKept == 6)
        #expect(first.segmentsKept == current && first.segmentsDropped == 0)
        #expect(try fs.list(WALFixtures.directory).filter { WALFileNames.parseSegment($0) != nil }.count == current + 1)
        #expect(wal.retentionStats.keptSegments == current)

        try populate(wal, from: 6)
        let second = try wal.checkpointAndTruncate(minTime: 0) { _ in true }
        #expect(second.samplesKept == 12, "the kept segments were read into the checkpoint again")
        try wal.close()

        let (reopened, records, _) = try WALFixtures.open(fs, segmentSize: 120)
        #expect(WALFixtures.samples(in: records) == (0..<12).map { WALFixtures.sample(1, Int64($0), Double($0)) })
        // The consumer moved on: the next truncation lets everything before it go.
        reopened.setLowWatermark(try reopened.currentSegment, consumer: "shipper")
        try reopened.truncate(before: try reopened.currentSegment)
        #expect(reopened.retentionStats == WALRetentionStats())
        #expect(try fs.list(WALFixtures.directory).filter { WALFileNames.parseSegment($0) != nil } == [WALFileNames.segment(try reopened.currentSegment)])
        try reopened.close()
    }

    @Test func pastTheSizeBoundNeededSegmentsGoAndAreCounted() throws {
        let fs = WALFixtures.fileSystem()
        let (wal, _, _) = try WALFixtures.open(fs, segmentSize: 120, retention: WALRetention(maxBytes: 240))
        wal.setLowWatermark(0, consumer: "shipper")
        try populate(wal)
        let current = try wal.cutSegment()
        var sizes: [Int] = []
        for segment in 0..<current { sizes.append(try fs.size(of: WALFixtures.directory + "/" + WALFileNames.segment(segment))) }
        // The newest segments whose sizes add up to at most 240 bytes stay.
        var fitting = 0
        var total = 0
        for size in sizes.reversed() {
            guard total + size <= 240 else { break }
            total += size
            fitting += 1
        }
        let stats = try wal.checkpointAndTruncate(minTime: 0) { _ in true }
        #expect(fitting < current)
        #expect(stats.segmentsKept == fitting)
        #expect(stats.segmentsDropped == current - fitting)
        #expect(wal.retentionStats.droppedSegments == current - fitting)
        #expect(wal.retentionStats.keptBytes == total)
        try wal.close()
    }

    @Test func pastTheAgeBoundKeptSegmentsGo() throws {
        let fs = WALFixtures.fileSystem()
        let (wal, _, _) = try WALFixtures.open(fs, segmentSize: 120, retention: WALRetention(maxAge: .seconds(60)))
        wal.setLowWatermark(0, consumer: "shipper")
        try populate(wal)
        let start = ContinuousClock.now
        let kept = try wal.checkpointAndTruncate(minTime: 0, now: start) { _ in true }.segmentsKept
        #expect(kept > 0)
        let current = try wal.currentSegment
        #expect(try wal.truncate(before: current, now: start + .seconds(60)).kept.count == kept)
        let late = try wal.truncate(before: current, now: start + .seconds(61))
        #expect(late.kept.isEmpty && late.dropped.count == kept)
        #expect(wal.retentionStats.droppedSegments == kept)
        try wal.close()
    }
}
