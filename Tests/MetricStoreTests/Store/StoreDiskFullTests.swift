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
}

#if canImport(Glibc)
import Glibc
let ENOSPC_VALUE = ENOSPC
#endif
