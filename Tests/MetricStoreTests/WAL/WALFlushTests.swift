import Testing
@testable import MetricStore
import TestSupport

/// Batched fsync: `flushIfDue(now:)` syncs at most once per interval, and only when records
/// wait. Durability is observed through a simulated power loss.
@Suite struct WALFlushTests {
    private func durableSamples(_ fs: PowerLossFileSystem) throws -> [WALSample] {
        WALFixtures.samples(in: try WALFixtures.replay(fs.crash()).0)
    }

    @Test func flushIfDueSyncsOncePerInterval() throws {
        let fs = WALFixtures.fileSystem()
        let (wal, _) = try WAL.open(
            directory: WALFixtures.directory, fileSystem: fs,
            options: WALOptions(flushInterval: .milliseconds(500))) { _ in }
        let start = ContinuousClock.now

        #expect(try !wal.flushIfDue(now: start), "nothing waiting")
        try wal.log(samples: [WALFixtures.sample(1, 1, 1)])
        #expect(wal.hasUnsyncedRecords)
        #expect(try durableSamples(fs).isEmpty, "logged is not durable")
        #expect(try wal.flushIfDue(now: start))
        #expect(!wal.hasUnsyncedRecords)
        #expect(try durableSamples(fs) == [WALFixtures.sample(1, 1, 1)])

        try wal.log(samples: [WALFixtures.sample(1, 2, 2)])
        #expect(try !wal.flushIfDue(now: start + .milliseconds(499)))
        #expect(try durableSamples(fs).count == 1)
        #expect(try wal.flushIfDue(now: start + .milliseconds(500)))
        #expect(try durableSamples(fs).count == 2)
    }

    @Test func syncMakesEverythingDurableAtOnce() throws {
        let fs = WALFixtures.fileSystem()
        let (wal, _, _) = try WALFixtures.open(fs, segmentSize: 100)
        let samples = (0..<20).map { WALFixtures.sample(1, Int64($0), Double($0)) }
        for sample in samples { try wal.log(samples: [sample]) }
        try wal.sync()
        #expect(try durableSamples(fs) == samples)
        #expect(!wal.hasUnsyncedRecords)
    }

    @Test func syncWithNothingWaitingDoesNoIO() throws {
        let fs = WALFixtures.fileSystem()
        let (wal, _, _) = try WALFixtures.open(fs)
        let before = fs.mutatingOperations
        try wal.sync()
        #expect(fs.mutatingOperations == before)
    }

    /// A full disk fails the write; the partial record is cut off, and logging resumes by
    /// itself when space returns, without a torn record in the middle of the segment.
    @Test func fullDiskRecoversWithoutTornRecords() throws {
        let fs = WALFixtures.fileSystem()
        let (wal, _, _) = try WALFixtures.open(fs)
        try wal.log(samples: [WALFixtures.sample(1, 1, 1)])
        fs.setDiskSize(try fs.size(of: WALFixtures.directory + "/00000000") + 10)
        #expect(throws: FileSystemError.self) { try wal.log(samples: [WALFixtures.sample(1, 2, 2)]) }
        #expect(throws: FileSystemError.self) { try wal.log(samples: [WALFixtures.sample(1, 3, 3)]) }
        fs.setDiskSize(nil)
        try wal.log(samples: [WALFixtures.sample(1, 4, 4)])
        try wal.sync()
        let (records, report) = try WALFixtures.replay(fs.crash())
        #expect(WALFixtures.samples(in: records) == [WALFixtures.sample(1, 1, 1), WALFixtures.sample(1, 4, 4)])
        #expect(report.corruptions.isEmpty && report.tornTail == nil)
    }
}
