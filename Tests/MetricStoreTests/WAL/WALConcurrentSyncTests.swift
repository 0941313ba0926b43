import Foundation
import Testing
@testable import MetricStore
import TestSupport

/// The fsync runs outside the lock logging takes: a slow disk delays `sync()`, not `log`.
/// Every wait here has a timeout, so a regression fails the test instead of hanging it.
@Suite struct WALConcurrentSyncTests {
    private static let timeout = 10.0

    /// Runs `body` on another thread; the semaphore is signalled when it returns, and the
    /// error it threw (if any) is kept.
    private final class Background: Sendable {
        let done = DispatchSemaphore(value: 0)
        let failure = Locked<(any Error)?>(nil)

        init(_ body: @escaping @Sendable () throws -> Void) {
            // A thread of its own: Dispatch's global queue may start the body only once
            // another blocked work item returns, which is exactly what these tests hold back.
            Thread {
                do { try body() } catch { self.failure.withLock { $0 = error } }
                self.done.signal()
            }.start()
        }

        /// Whether `body` has returned, waiting at most `seconds` for it.
        func finished(within seconds: Double = WALConcurrentSyncTests.timeout) -> Bool {
            guard done.wait(timeout: .now() + seconds) == .success else { return false }
            // Asking again must give the same answer.
            done.signal()
            return true
        }

        var error: (any Error)? { failure.withLock { $0 } }
    }

    private func open(_ fs: GatedSyncFileSystem, segmentSize: Int = WALOptions.defaultSegmentSize) throws -> WAL {
        try WAL.open(directory: WALFixtures.directory, fileSystem: fs, options: WALOptions(segmentSize: segmentSize)) { _ in }.wal
    }

    @Test func loggingGoesOnWhileAnFsyncIsSlow() throws {
        let base = WALFixtures.fileSystem()
        let fs = GatedSyncFileSystem(base)
        let wal = try open(fs)
        try wal.log(samples: [WALFixtures.sample(1, 1, 1)])
        fs.arm()
        let syncing = Background { try wal.sync() }
        #expect(fs.waitUntilHeld())

        let logging = Background { try wal.log(samples: [WALFixtures.sample(1, 2, 2)]) }
        let loggedDuringSync = logging.finished()
        #expect(loggedDuringSync, "log(samples:) waited for the fsync")
        #expect(!syncing.finished(within: 0.05), "sync returned before its fsync")
        fs.open()
        #expect(syncing.finished() && logging.finished())
        #expect(syncing.error == nil && logging.error == nil)

        // The sync promised what was logged before it (the fsync, running later, may have
        // taken the other record along; the WAL does not count on it).
        #expect(WALFixtures.samples(in: try WALFixtures.replay(base.crash()).0).first == WALFixtures.sample(1, 1, 1))
        #expect(wal.hasUnsyncedRecords)
        try wal.sync()
        #expect(WALFixtures.samples(in: try WALFixtures.replay(base.crash()).0).count == 2)
        try wal.close()
    }

    /// Rotations while an fsync is held retire the old segment's handle instead of closing
    /// it: the held fsync (on a `PowerLossFileSystem` handle, which refuses to sync once
    /// closed) still succeeds, and every segment is durable in order.
    @Test func rotationDuringASlowFsyncDoesNotCloseItsFile() throws {
        let base = WALFixtures.fileSystem()
        let fs = GatedSyncFileSystem(base)
        let frameSize = WALRecordEncoder.frames(samples: [WALFixtures.sample(1, 0, 0)])[0].count
        let wal = try open(fs, segmentSize: 2 * frameSize)
        try wal.log(samples: [WALFixtures.sample(1, 0, 0)])
        fs.arm()
        let syncing = Background { try wal.sync() }
        #expect(fs.waitUntilHeld())
        let logging = Background {
            for t in 1..<10 { try wal.log(samples: [WALFixtures.sample(1, Int64(t), Double(t))]) }
            try wal.cutSegment()
        }
        let loggedDuringSync = logging.finished()
        #expect(loggedDuringSync, "rotation waited for the fsync")
        fs.open()
        #expect(syncing.finished() && logging.finished())
        #expect(syncing.error == nil, "the held fsync met a closed file")
        #expect(logging.error == nil)
        #expect(try wal.currentSegment >= 4, "the test should rotate several times")
        try wal.sync()
        try wal.close()
        let (records, report) = try WALFixtures.replay(base.crash())
        #expect(WALFixtures.samples(in: records) == (0..<10).map { WALFixtures.sample(1, Int64($0), Double($0)) })
        #expect(report.corruptions.isEmpty && report.tornTail == nil)
    }

    /// A sync that waited for an fsync covering its records shares that fsync's failure: it
    /// must not report success for pages the failed fsync may have dropped.
    @Test func aFailedFsyncFailsEverySyncItCovered() throws {
        let fs = GatedSyncFileSystem(WALFixtures.fileSystem())
        let wal = try open(fs)
        try wal.log(samples: [WALFixtures.sample(1, 1, 1)])
        fs.arm(failing: true)
        let first = Background { try wal.sync() }
        #expect(fs.waitUntilHeld())
        let second = Background { try wal.sync() }
        // The second sync must be waiting behind the first before the first fails; it takes
        // no lock that logging or the fsync holds, so half a second is ample.
        #expect(!second.finished(within: 0.5))
        fs.open()
        #expect(first.finished() && second.finished())
        #expect((first.error as? FileSystemError)?.errno == 5)
        #expect((second.error as? FileSystemError)?.errno == 5)
        // A sync called afterwards makes its own attempt.
        try wal.sync()
        #expect(!wal.hasUnsyncedRecords)
        try wal.close()
    }

    @Test func closeWaitsForASyncInProgress() throws {
        let fs = GatedSyncFileSystem(WALFixtures.fileSystem())
        let wal = try open(fs)
        try wal.log(samples: [WALFixtures.sample(1, 1, 1)])
        fs.arm()
        let syncing = Background { try wal.sync() }
        #expect(fs.waitUntilHeld())
        let closing = Background { try wal.close() }
        #expect(!closing.finished(within: 0.1), "close did not wait for the fsync using its file")
        fs.open()
        #expect(syncing.finished() && closing.finished())
        #expect(syncing.error == nil && closing.error == nil)
        #expect(throws: WALError.closed) { try wal.log(samples: [WALFixtures.sample(1, 2, 2)]) }
    }
}
