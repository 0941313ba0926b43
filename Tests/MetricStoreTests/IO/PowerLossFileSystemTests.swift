#if canImport(Glibc)
import Glibc
#endif
import Testing
@testable import MetricStore
import TestSupport

/// The fake must lose exactly what a real disk may lose, or the WAL's power-loss tests prove
/// nothing.
@Suite struct PowerLossFileSystemTests {
    /// A file system with a durable `/data`, the usual starting point.
    private func makeFileSystem(crashAfter: Int? = nil) throws -> PowerLossFileSystem {
        let fs = PowerLossFileSystem(crashAfter: crashAfter)
        try fs.createDirectory("/data")
        fs.syncEverything()
        return fs
    }

    @Test func writeWithoutFsyncIsLost() throws {
        let fs = try makeFileSystem()
        let file = try fs.create("/data/a")
        try fs.syncDirectory("/data")
        try file.write([1, 2, 3])
        let after = fs.crash()
        #expect(after.exists("/data/a"))
        #expect(try after.read("/data/a") == [])
    }

    @Test func fsyncedWriteSurvivesAndLaterOnesAreDropped() throws {
        let fs = try makeFileSystem()
        let file = try fs.create("/data/a")
        try fs.syncDirectory("/data")
        try file.write([1, 2, 3])
        try file.sync()
        try file.write([4, 5])
        #expect(try fs.crash().read("/data/a") == [1, 2, 3])
        #expect(try fs.crash(.init(data: .tornInHalf, entries: .undone)).read("/data/a") == [1, 2, 3, 4])
    }

    @Test func fsyncWithoutDirectorySyncLosesNewFile() throws {
        let fs = try makeFileSystem()
        let file = try fs.create("/data/a")
        try file.write([1])
        try file.sync()
        #expect(!fs.crash().exists("/data/a"))
        // Were the entry kept by the journal, the synced data would be there with it.
        #expect(try fs.crash(.init(data: .dropped, entries: .kept)).read("/data/a") == [1])
    }

    @Test func renameWithoutDirectorySyncIsUndone() throws {
        let fs = try makeFileSystem()
        let file = try fs.create("/data/a.tmp")
        try file.write([7])
        try file.sync()
        try fs.syncDirectory("/data")
        try fs.rename("/data/a.tmp", to: "/data/a")
        let undone = fs.crash()
        #expect(try undone.list("/data") == ["a.tmp"])
        #expect(try undone.read("/data/a.tmp") == [7])
        try fs.syncDirectory("/data")
        #expect(try fs.crash().list("/data") == ["a"])
    }

    @Test func removalWithoutDirectorySyncIsUndone() throws {
        let fs = try makeFileSystem()
        try fs.createDirectory("/data/block")
        let file = try fs.create("/data/block/chunks")
        try file.write([1, 2])
        try file.sync()
        try fs.syncDirectory("/data/block")
        try fs.syncDirectory("/data")
        try fs.remove("/data/block")
        #expect(!fs.exists("/data/block"))
        #expect(try fs.crash().read("/data/block/chunks") == [1, 2])
        try fs.syncDirectory("/data")
        #expect(!fs.crash().exists("/data/block"))
    }

    @Test func newDirectoryNeedsItsParentSynced() throws {
        let fs = try makeFileSystem()
        try fs.createDirectory("/data/wal")
        let file = try fs.create("/data/wal/00000000")
        try file.sync()
        try fs.syncDirectory("/data/wal")
        #expect(!fs.crash().exists("/data/wal"))
        try fs.syncDirectory("/data")
        #expect(fs.crash().exists("/data/wal/00000000"))
    }

    @Test func truncateIsDurableOnlyAfterFsync() throws {
        let fs = try makeFileSystem()
        let file = try fs.create("/data/a")
        try fs.syncDirectory("/data")
        try file.write([1, 2, 3, 4])
        try file.sync()
        try fs.truncate("/data/a", to: 1)
        #expect(try fs.crash().read("/data/a") == [1, 2, 3, 4])
        try fs.openForAppend("/data/a").sync()
        #expect(try fs.crash().read("/data/a") == [1])
    }

    @Test func handleKeepsWritingToRenamedFile() throws {
        let fs = try makeFileSystem()
        let file = try fs.create("/data/a")
        try fs.rename("/data/a", to: "/data/b")
        try file.write([9])
        #expect(try fs.read("/data/b") == [9])
        #expect(file.size == 1)
    }

    @Test func operationsAfterTheCrashPointFailAndChangeNothing() throws {
        let fs = try makeFileSystem(crashAfter: 3)  // mkdir is operation 1
        let file = try fs.create("/data/a")           // 2
        try file.write([1])                           // 3
        #expect(throws: FileSystemError(operation: "fsync", path: "/data/a", errno: EIO)) { try file.sync() }
        #expect(throws: FileSystemError.self) { try fs.syncDirectory("/data") }
        #expect(fs.mutatingOperations == 3)
        #expect(fs.hasReachedCrashPoint)
        #expect(try fs.read("/data/a") == [1])
        #expect(!fs.crash().exists("/data/a"))
    }

    @Test func errorsCarryErrno() throws {
        let fs = try makeFileSystem()
        #expect(throws: FileSystemError(operation: "read", path: "/data/none", errno: ENOENT)) { try fs.read("/data/none") }
        #expect(throws: FileSystemError(operation: "create", path: "/none/a", errno: ENOENT)) { try fs.create("/none/a") }
        try fs.createDirectory("/data/d")
        try fs.create("/data/d/f").close()
        try fs.createDirectory("/data/e")
        try fs.create("/data/e/g").close()
        #expect(throws: FileSystemError(operation: "rename", path: "/data/e", errno: ENOTEMPTY)) {
            try fs.rename("/data/d", to: "/data/e")
        }
    }

    @Test func fullDiskRefusesWrites() throws {
        let fs = try makeFileSystem()
        fs.setDiskSize(4)
        let file = try fs.create("/data/a")
        try file.write([1, 2, 3])
        #expect(throws: FileSystemError(operation: "write", path: "/data/a", errno: ENOSPC)) { try file.write([4, 5]) }
        #expect(try fs.read("/data/a") == [1, 2, 3, 4], "what fits is written")
        let capacity = try fs.capacity(of: "/data")
        #expect(capacity.available == 0 && capacity.total == 4)
    }

    @Test func secondLockIsRefusedUntilReleased() throws {
        let fs = try makeFileSystem()
        let lock = try fs.lock("/data/lock")
        #expect(throws: FileSystemError(operation: "flock", path: "/data/lock", errno: EWOULDBLOCK)) { try fs.lock("/data/lock") }
        lock.release()
        try fs.lock("/data/lock").release()
    }
}
