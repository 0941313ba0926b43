import Testing

@testable import MetricStore
import TestSupport

/// A full disk is told apart from damage by the error's cause, not its text; a block that does
/// not fit leaves its samples in the head, where they stay queryable and are cut again once
/// there is room (before, they were gone from the head and, once a later block was written,
/// from the next replay too).
@Suite struct StoreDiskFullTests {
    @Test func aBlockThatDoesNotFitIsReportedAsDiskFullAndWrittenOnceThereIsRoom() throws {
        let fs = PowerLossFileSystem()
        var options = StoreOptions()
        options.head.blockRange = 60_000
        let store = try Store.open(directory: "/data/store", options: options, fileSystem: fs)
        defer { store.close() }
        let labels = Labels(["__name__": "m"])
        for step in 0..<18 as Range<Int64> { store.append([(labels, Sample(timestamp: step * 10_000, value: Double(step)))]) }
        try store.sync()

        let used = try fs.list("/data/store/wal").reduce(0) { $0 + (try fs.size(of: "/data/store/wal/" + $1)) }
        fs.setDiskSize(used + 16)
        do {
            try store.cutBlocksIfDue()
            Issue.record("the cut should not fit")
        } catch {
            #expect(error.isDiskFull, "\(error)")
            #expect(error.fileSystemError?.errno == ENOSPC_VALUE)
        }
        #expect(!StoreError.wal("damaged").isDiskFull)
        #expect(!StoreError.block("x", cause: BlockWriteError.emptyBlock).isDiskFull)

        // The cut's samples went back into the head: still queryable, and cut again later.
        #expect(try store.select([.equal("__name__", "m")]).flatMap(\.samples).map(\.value) == (0..<18).map(Double.init))

        fs.setDiskSize(nil)
        try store.cutBlocksIfDue()
        #expect(!store.blocks.isEmpty)
        #expect(try store.select([.equal("__name__", "m")]).flatMap(\.samples).map(\.value) == (0..<18).map(Double.init))
    }

    /// What the WAL refused while the disk was full is logged once there is room, at the next
    /// append: after a crash, replay finds every sample (before, the outage's samples were in
    /// memory only and a restart lost them for good). Failure and recovery are told once each.
    @Test func samplesTheWALRefusedAreLoggedWhenThereIsRoomAgain() throws {
        let fs = PowerLossFileSystem()
        let events = Locked<[String]>([])
        let store = try Store.open(directory: "/data/store", fileSystem: fs) { event in
            events.withLock { $0.append("\(event)") }
        }
        let labels = Labels(["__name__": "m"])
        store.append([(labels, Sample(timestamp: 0, value: 0))])
        try store.sync()
        let used = try fs.list("/data/store/wal").reduce(0) { $0 + (try fs.size(of: "/data/store/wal/" + $1)) }
        fs.setDiskSize(used)
        for step in 1..<10 as Range<Int64> {
            store.append([(labels, Sample(timestamp: step * 1000, value: Double(step))), (Labels(["__name__": "new\(step)"]), Sample(timestamp: step * 1000, value: 1))])
        }
        #expect(store.counters.samplesNotDurable == 18)
        #expect(store.counters.walWriteErrors == 9)
        #expect(events.withLock { $0 }.filter { $0.hasPrefix("WAL write failed") }.count == 1)

        fs.setDiskSize(nil)
        store.append([(labels, Sample(timestamp: 10_000, value: 10))])
        #expect(store.counters.samplesNotDurable == 0)
        #expect(events.withLock { $0 }.last == "WAL writes resumed; 18 samples kept in memory meanwhile are logged")
        try store.sync()

        let replay = Locked<[String]>([])
        let reopened = try Store.open(directory: "/data/store", fileSystem: fs.crash(.strict)) { event in
            replay.withLock { $0.append("\(event)") }
        }
        defer { reopened.close() }
        #expect(try reopened.select([.equal("__name__", "m")]).flatMap(\.samples).map(\.value) == (0...10).map(Double.init),
                "\(replay.withLock { $0 })")
        #expect(try (1..<10).allSatisfy { try reopened.select([.equal("__name__", "new\($0)")]).count == 1 })
        store.close()
    }

    /// With no append to come (a graceful stop right after the disk cleared), the flush and
    /// the close log what waited.
    @Test func aStopAfterTheDiskClearedKeepsWhatWaited() throws {
        let fs = PowerLossFileSystem()
        let store = try Store.open(directory: "/data/store", fileSystem: fs)
        let labels = Labels(["__name__": "m"])
        store.append([(labels, Sample(timestamp: 0, value: 0))])
        try store.sync()
        let used = try fs.list("/data/store/wal").reduce(0) { $0 + (try fs.size(of: "/data/store/wal/" + $1)) }
        fs.setDiskSize(used)
        for step in 1..<5 as Range<Int64> { store.append([(labels, Sample(timestamp: step * 1000, value: Double(step)))]) }
        store.flush()
        #expect(store.counters.samplesNotDurable == 4, "still no room: the flush cannot log them")
        #expect(throws: StoreError.self) { try store.sync() }
        fs.setDiskSize(nil)
        store.close()

        let reopened = try Store.open(directory: "/data/store", fileSystem: fs.crash(.strict))
        defer { reopened.close() }
        #expect(try reopened.select([.equal("__name__", "m")]).flatMap(\.samples).map(\.value) == (0..<5).map(Double.init))
    }

    @Test func theOldestSamplesAreDroppedBeyondTheBoundButNeverASeries() {
        var unlogged = UnloggedRecords(maxSamples: 5)
        unlogged.keep(series: [WALSeries(ref: SeriesRef(1), labels: Labels(["__name__": "a"]))])
        for time in 0..<4 as Range<Int64> {
            unlogged.keep(samples: [WALSample(ref: SeriesRef(1), sample: Sample(timestamp: time, value: 0)),
                                    WALSample(ref: SeriesRef(1), sample: Sample(timestamp: time, value: 1))])
        }
        #expect(unlogged.samples == 4)
        #expect(unlogged.dropped == 4)
        guard case .series = unlogged.records.first else {
            Issue.record("the series record was dropped")
            return
        }
        #expect(unlogged.records.count == 3)
    }
}

#if canImport(Glibc)
import Glibc
let ENOSPC_VALUE = ENOSPC
#endif
