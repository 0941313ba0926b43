#if canImport(Glibc)
import Glibc
#endif
import Testing
@testable import MetricStore
import TestSupport

@Suite struct WALReplayTests {
    @Test func replayAcrossSegmentsInOrder() throws {
        let fs = WALFixtures.fileSystem()
        let (wal, _, _) = try WALFixtures.open(fs, segmentSize: 100)
        var expected: [WALRecord] = []
        for ref in 0..<10 as Range<UInt64> {
            let series = [WALFixtures.series(ref, "metric_\(ref)")]
            let samples = [WALFixtures.sample(ref, Int64(ref) * 1000, Double(ref)), WALFixtures.sample(ref, Int64(ref) * 1000 + 1, .nan)]
            try wal.log(series: series)
            try wal.log(samples: samples)
            expected += [.series(series), .samples(samples)]
        }
        try wal.close()
        let names = try fs.list(WALFixtures.directory)
        #expect(names.count > 3)
        #expect(names == (0..<names.count).map { WALFileNames.segment($0) })
        for name in names {
            // Only whole records, and none beyond the limit unless alone.
            #expect(try fs.size(of: WALFixtures.directory + "/" + name) <= 100)
        }
        let (records, report) = try WALFixtures.replay(fs)
        #expect(records == expected)
        #expect(report.segments == Array(0..<names.count))
        #expect(report.corruptions.isEmpty && report.tornTail == nil && report.records == 20)
    }

    @Test func recordLargerThanASegmentGetsOneOfItsOwn() throws {
        let fs = WALFixtures.fileSystem()
        let (wal, _, _) = try WALFixtures.open(fs, segmentSize: 64)
        let small = [WALFixtures.sample(1, 1, 1)]
        let large = (0..<20).map { WALFixtures.sample(1, Int64($0), 1) }
        try wal.log(samples: small)
        try wal.log(samples: large)
        try wal.log(samples: small)
        try wal.close()
        #expect(try fs.list(WALFixtures.directory) == ["00000000", "00000001", "00000002"])
        #expect(try WALFixtures.replay(fs).0 == [.samples(small), .samples(large), .samples(small)])
    }

    @Test func reopenReplaysAndContinuesInANewSegment() throws {
        let fs = WALFixtures.fileSystem()
        do {
            let (wal, records, _) = try WALFixtures.open(fs)
            #expect(records.isEmpty)
            try wal.log(series: [WALFixtures.series(1)])
            try wal.close()
        }
        let (wal, records, report) = try WALFixtures.open(fs)
        #expect(records == [.series([WALFixtures.series(1)])])
        #expect(report.segments == [0])
        #expect(try wal.currentSegment == 1)
        try wal.log(samples: [WALFixtures.sample(1, 5, 5)])
        try wal.close()
        #expect(try WALFixtures.replay(fs).0 == [.series([WALFixtures.series(1)]), .samples([WALFixtures.sample(1, 5, 5)])])
    }

    /// Every open starts a new segment, even after an empty one (which a power loss may have
    /// emptied under a tail reader's position); the empty ones replay as nothing and go with
    /// the next truncation.
    @Test func emptyLastSegmentIsNotWrittenAgain() throws {
        let fs = WALFixtures.fileSystem()
        try WALFixtures.open(fs).0.close()
        try WALFixtures.open(fs).0.close()
        let (wal, records, report) = try WALFixtures.open(fs)
        #expect(records.isEmpty && report.corruptions.isEmpty && report.tornTail == nil)
        #expect(try wal.currentSegment == 2)
        #expect(try fs.list(WALFixtures.directory) == ["00000000", "00000001", "00000002"])
        try wal.log(samples: [WALFixtures.sample(1, 1, 1)])
        try wal.checkpointAndTruncate(minTime: 0) { _ in true }
        #expect(try fs.list(WALFixtures.directory) == ["00000003", "checkpoint.00000002"])
    }

    @Test func closedWALRefusesRecords() throws {
        let (wal, _, _) = try WALFixtures.open(WALFixtures.fileSystem())
        try wal.close()
        #expect(throws: WALError.closed) { try wal.log(samples: [WALFixtures.sample(1, 1, 1)]) }
        #expect(throws: WALError.closed) { try wal.sync() }
    }

    @Test func readerOnAMissingDirectoryReadsNothing() throws {
        let (records, report) = try WALFixtures.replay(WALFixtures.fileSystem())
        #expect(records.isEmpty && report == WALReplayReport())
    }

    @Test func strayFilesAreIgnored() throws {
        let fs = WALFixtures.fileSystem()
        let (wal, _, _) = try WALFixtures.open(fs)
        try wal.log(samples: [WALFixtures.sample(1, 1, 1)])
        try wal.close()
        try fs.create(WALFixtures.directory + "/00000000~").write([1, 2, 3])
        try fs.create(WALFixtures.directory + "/README").close()
        #expect(try WALFixtures.replay(fs).0 == [.samples([WALFixtures.sample(1, 1, 1)])])
    }

    @Test func unknownRecordTypesAreHandedOverAndCounted() throws {
        let fs = WALFixtures.fileSystem()
        try fs.createDirectory(WALFixtures.directory)
        let file = try fs.create(WALFixtures.directory + "/00000000")
        try file.write(WALRecordFrame.frame(type: 3, payload: [9, 9]))
        try file.write(WALRecordEncoder.frames(samples: [WALFixtures.sample(1, 1, 1)])[0])
        let (records, report) = try WALFixtures.replay(fs)
        #expect(records == [.unknown(type: 3, payload: [9, 9]), .samples([WALFixtures.sample(1, 1, 1)])])
        #expect(report.unknownRecords == 1 && report.records == 2)
    }

    @Test func onRealFiles() throws {
        let temporary = TestDirectory()
        let fs = temporary.fileSystem
        defer { temporary.remove() }
        let directory = temporary.path + "/wal"
        let series = (0..<100 as Range<UInt64>).map { WALFixtures.series($0, "m\($0)") }
        let samples = (0..<5000).map { WALFixtures.sample(UInt64($0 % 100), Int64($0), Double($0) / 3) }
        do {
            let (wal, report) = try WAL.open(directory: directory, fileSystem: fs, options: WALOptions(segmentSize: 4096)) { _ in }
            #expect(report.records == 0)
            try wal.log(series: series)
            for chunk in stride(from: 0, to: samples.count, by: 100) {
                try wal.log(samples: Array(samples[chunk..<chunk + 100]))
            }
            try wal.sync()
            try wal.close()
        }
        var replayed: [WALRecord] = []
        let (wal, report) = try WAL.open(directory: directory, fileSystem: fs) { replayed.append($0) }
        try wal.close()
        #expect(report.corruptions.isEmpty && report.tornTail == nil)
        #expect(WALFixtures.series(in: replayed) == series)
        #expect(WALFixtures.samples(in: replayed) == samples)
    }
}
