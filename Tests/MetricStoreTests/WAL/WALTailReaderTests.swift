import Testing
@testable import MetricStore

/// `WALTailReader` follows a WAL as it is written: whole records once each, across rotations,
/// checkpoints and gaps; a record still being written is waited on, damage is reported.
@Suite struct WALTailReaderTests {
    private func reader(_ fs: any FileSystem, from position: WALPosition? = nil) throws -> WALTailReader {
        try WALTailReader(directory: WALFixtures.directory, fileSystem: fs, from: position)
    }

    /// Every record the reader has now, polling until a batch comes back empty.
    private func drain(_ reader: WALTailReader, limit: Int = 3) throws -> (records: [WALRecord], gaps: [WALTailGap]) {
        var records: [WALRecord] = []
        var gaps: [WALTailGap] = []
        while true {
            let batch = try reader.next(limit: limit)
            #expect(batch.records.count <= limit)
            #expect(batch.position == reader.position)
            records += batch.records
            gaps += batch.gaps
            if batch.records.isEmpty && batch.gaps.isEmpty { return (records, gaps) }
        }
    }

    private func sample(_ t: Int) -> WALSample { WALFixtures.sample(UInt64(1 + t % 3), Int64(t), Double(t)) }

    @Test func followsRotationsAndCheckpointsAndSeesEverySampleOnce() throws {
        let fs = WALFixtures.fileSystem()
        let (wal, _, _) = try WALFixtures.open(fs, segmentSize: 200)
        let tail = try reader(fs)
        var seen: [WALSample] = []
        var labels: [SeriesRef: Labels] = [:]
        try wal.log(series: (1...3).map { WALFixtures.series(UInt64($0), "s\($0)") })
        for t in 0..<120 {
            try wal.log(samples: [sample(t)])
            if t % 7 == 0 {
                let (records, gaps) = try drain(tail)
                #expect(gaps.isEmpty)
                for entry in WALFixtures.series(in: records) { labels[entry.ref] = entry.labels }
                seen += WALFixtures.samples(in: records)
                wal.setLowWatermark(tail.position.segment, consumer: "test")
            }
            if t % 25 == 24 { try wal.checkpointAndTruncate(minTime: Int64(t - 10)) { _ in true } }
        }
        let (records, gaps) = try drain(tail)
        #expect(gaps.isEmpty)
        seen += WALFixtures.samples(in: records)
        #expect(seen == (0..<120).map(sample))
        #expect(Set(labels.keys) == [SeriesRef(1), SeriesRef(2), SeriesRef(3)])
        #expect(try wal.currentSegment > 10, "the test should cross many segments")
        #expect(tail.droppedSegments == 0)
        try wal.close()
    }

    /// A reader made for a saved position hands over the series it needs first (from the
    /// checkpoint and the segments before the position), then only what follows.
    @Test func resumesFromASavedPositionBehindACheckpoint() throws {
        let fs = WALFixtures.fileSystem()
        let (wal, _, _) = try WALFixtures.open(fs, segmentSize: 200)
        wal.setLowWatermark(0, consumer: "test")
        try wal.log(series: [WALFixtures.series(1, "early")])
        for t in 0..<10 { try wal.log(samples: [WALFixtures.sample(1, Int64(t), Double(t))]) }
        let first = try reader(fs)
        let read = try drain(first).records
        #expect(WALFixtures.samples(in: read).count == 10)
        let saved = first.position
        try wal.log(series: [WALFixtures.series(2, "later")])
        for t in 10..<20 { try wal.log(samples: [WALFixtures.sample(2, Int64(t), Double(t))]) }
        try wal.checkpointAndTruncate(minTime: 0) { _ in true }
        #expect(saved.segment < (try wal.currentSegment) - 1, "the saved position should lie behind the checkpoint")
        try wal.close()

        let (reopened, _, _) = try WALFixtures.open(fs, segmentSize: 200)
        try reopened.log(samples: [WALFixtures.sample(1, 20, 20)])
        let resumed = try reader(fs, from: saved)
        let records = try drain(resumed).records
        let samples = WALFixtures.samples(in: records)
        #expect(samples.map(\.sample.timestamp) == Array(10...20))
        let series = WALFixtures.series(in: records)
        #expect(Set(series.map(\.ref)) == [SeriesRef(1), SeriesRef(2)])
        // Series come before the first sample that needs them.
        let firstSample = records.firstIndex { if case .samples = $0 { true } else { false } }!
        let seriesFirst = WALFixtures.series(in: Array(records[..<firstSample]))
        #expect(seriesFirst.contains { $0.ref == SeriesRef(1) })
        try reopened.close()
    }

    enum Torn: String, CaseIterable, Sendable {
        case header, payload, zeros
    }

    /// The end of the segment being written holds part of a record (or zeros, from a file
    /// system that extended the file first): not yet written, so the reader waits, and reads
    /// the record once it is whole.
    @Test(arguments: Torn.allCases) func aRecordStillBeingWrittenIsWaitedOn(_ torn: Torn) throws {
        let fs = WALFixtures.fileSystem()
        let (wal, _, _) = try WALFixtures.open(fs)
        try wal.log(samples: [WALFixtures.sample(1, 1, 1)])
        let frame = WALRecordEncoder.frames(samples: [WALFixtures.sample(1, 2, 2)])[0]
        let split = switch torn {
        case .header: 4
        case .payload: frame.count - 3
        case .zeros: 0
        }
        let path = WALFixtures.directory + "/" + WALFileNames.segment(0)
        let file = try fs.openForAppend(path)
        try file.write(torn == .zeros ? [UInt8](repeating: 0, count: 12) : Array(frame[..<split]))
        let tail = try reader(fs)
        #expect(WALFixtures.samples(in: try tail.next().records) == [WALFixtures.sample(1, 1, 1)])
        for _ in 0..<2 { #expect(try tail.next().records.isEmpty) }
        #expect(tail.position == WALPosition(segment: 0, offset: frame.count))

        if torn == .zeros { try fs.truncate(path, to: frame.count) }
        try file.write(Array(frame[split...]))
        #expect(WALFixtures.samples(in: try tail.next().records) == [WALFixtures.sample(1, 2, 2)])
        try file.close()
    }

    enum Damage: String, CaseIterable, Sendable {
        case flippedBit, cutShort
    }

    /// Damage in a finished segment is thrown with its place after the records before it,
    /// again at every poll, until the consumer skips the segment.
    @Test(arguments: Damage.allCases) func damageInAFinishedSegmentIsReportedWithItsPlace(_ damage: Damage) throws {
        let fs = WALFixtures.fileSystem()
        let frameSize = WALRecordEncoder.frames(samples: [WALFixtures.sample(1, 0, 0)])[0].count
        let (wal, _, _) = try WALFixtures.open(fs, segmentSize: 3 * frameSize)
        for t in 0..<6 { try wal.log(samples: [WALFixtures.sample(1, Int64(t), Double(t))]) }
        try wal.close()
        let path = WALFixtures.directory + "/" + WALFileNames.segment(0)
        var bytes = try fs.read(path)
        switch damage {
        case .flippedBit: bytes[frameSize + 12] ^= 0x01
        case .cutShort: bytes.removeLast(3)
        }
        let file = try fs.create(path)
        try file.write(bytes)
        try file.close()

        let tail = try reader(fs)
        let expectedOffset = damage == .flippedBit ? frameSize : 2 * frameSize
        let before = try tail.next(limit: 10).records
        #expect(WALFixtures.samples(in: before).count == expectedOffset / frameSize)
        for _ in 0..<2 {
            let error = #expect(throws: WALCorruptionError.self) { try tail.next() }
            #expect(error?.directory == WALFixtures.directory)
            #expect(error?.segment == "00000000")
            #expect(error?.offset == expectedOffset)
            if damage == .cutShort { #expect(error?.reason == .truncatedRecord) }
        }
        tail.skipSegment()
        #expect(WALFixtures.samples(in: try drain(tail).records).map(\.sample.timestamp) == [3, 4, 5])
        #expect(tail.droppedSegments == 1)
    }

    /// Without a watermark, truncation removes what the reader has not read: it reports the
    /// gap, hands over the checkpoint's series, and goes on after it.
    @Test func segmentsRemovedBeforeTheyWereReadAreAGap() throws {
        let fs = WALFixtures.fileSystem()
        let (wal, _, _) = try WALFixtures.open(fs, segmentSize: 200)
        try wal.log(series: [WALFixtures.series(1)])
        try wal.log(samples: [WALFixtures.sample(1, 0, 0)])
        let tail = try reader(fs)
        #expect(WALFixtures.samples(in: try drain(tail).records).count == 1)
        for t in 1..<30 { try wal.log(samples: [WALFixtures.sample(1, Int64(t), Double(t))]) }
        try wal.checkpointAndTruncate(minTime: 1_000) { _ in true }
        let current = try wal.currentSegment
        try wal.log(samples: [WALFixtures.sample(1, 1_000, 1)])

        let (records, gaps) = try drain(tail)
        #expect(gaps == [WALTailGap(segments: 0...(current - 1), resumedAt: WALPosition(segment: current, offset: 0))])
        #expect(tail.droppedSegments == current)
        #expect(WALFixtures.series(in: records) == [WALFixtures.series(1)])
        #expect(WALFixtures.samples(in: records) == [WALFixtures.sample(1, 1_000, 1)])
        try wal.close()
    }

    /// Power loss took records the reader had seen and left their segment empty: the WAL
    /// goes on in a new segment, never writing where a saved position points, and the reader
    /// follows it instead of reading from the middle of a record.
    @Test func aSegmentEmptiedByPowerLossIsNotWrittenAgain() throws {
        let fs = WALFixtures.fileSystem()
        let (wal, _, _) = try WALFixtures.open(fs)
        try wal.log(samples: [WALFixtures.sample(1, 1, 1)])
        let tail = try reader(fs)
        #expect(WALFixtures.samples(in: try drain(tail).records).count == 1)
        let crashed = fs.crash()
        #expect(try crashed.size(of: WALFixtures.directory + "/" + WALFileNames.segment(0)) == 0)
        let (reopened, _, _) = try WALFixtures.open(crashed)
        #expect(try reopened.currentSegment == 1)
        try reopened.log(samples: [WALFixtures.sample(1, 2, 2)])
        let resumed = try reader(crashed, from: tail.position)
        #expect(WALFixtures.samples(in: try drain(resumed).records) == [WALFixtures.sample(1, 2, 2)])
        try reopened.close()
    }

    @Test func aPositionPastTheNewestSegmentIsRefused() throws {
        let fs = WALFixtures.fileSystem()
        let (wal, _, _) = try WALFixtures.open(fs)
        try wal.log(samples: [WALFixtures.sample(1, 1, 1)])
        let ahead = WALPosition(segment: 5, offset: 0)
        #expect(throws: WALError.positionAhead(ahead, newestSegment: 0)) { try reader(fs, from: ahead).next() }
        // One past the newest is where a reader waits after skipping the newest segment.
        #expect(try reader(fs, from: WALPosition(segment: 1, offset: 0)).next().records.isEmpty)
        try wal.close()
    }

    @Test func badArgumentsAreRefused() throws {
        let fs = WALFixtures.fileSystem()
        #expect(throws: WALError.invalidPosition(WALPosition(segment: -1, offset: 0))) {
            try reader(fs, from: WALPosition(segment: -1, offset: 0))
        }
        #expect(throws: WALError.invalidPosition(WALPosition(segment: 0, offset: -5))) {
            try reader(fs, from: WALPosition(segment: 0, offset: -5))
        }
        let tail = try reader(fs)
        #expect(throws: WALError.invalidLimit(0)) { try tail.next(limit: 0) }
        // A WAL directory that does not exist yet has nothing to read, which is no error.
        #expect(try tail.next().records.isEmpty)
    }
}
