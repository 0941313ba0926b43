#if canImport(Glibc)
import Glibc
#endif
import Testing
@testable import MetricStore
import TestSupport

/// The live file system on real files in a fresh temporary directory.
@Suite struct PosixFileSystemTests {
    let fs = PosixFileSystem()

    /// Runs `body` with a new directory under /tmp, removed afterwards.
    private func withTemporaryDirectory(_ body: (String) throws -> Void) throws {
        let directory = TestDirectory()
        defer { directory.remove() }
        try body(directory.path)
    }

    @Test func createWriteSyncReadBack() throws {
        try withTemporaryDirectory { dir in
            let file = try fs.create(dir + "/a")
            try file.write([1, 2, 3])
            try file.write([])
            try file.write([4])
            try file.sync()
            #expect(file.size == 4)
            try file.close()
            try file.close()  // closing twice is harmless
            #expect(throws: FileSystemError(operation: "write", path: dir + "/a", errno: EBADF)) { try file.write([5]) }
            #expect(try fs.read(dir + "/a") == [1, 2, 3, 4])
            #expect(try fs.read(dir + "/a", offset: 1, length: 2) == [2, 3])
            #expect(try fs.read(dir + "/a", offset: 3, length: 10) == [4])
            #expect(try fs.read(dir + "/a", offset: 9, length: 10) == [])
            #expect(try fs.size(of: dir + "/a") == 4)
        }
    }

    @Test func openForAppendKeepsContentAndCountsIt() throws {
        try withTemporaryDirectory { dir in
            try fs.create(dir + "/a").write([1, 2])
            let file = try fs.openForAppend(dir + "/a")
            #expect(file.size == 2)
            try file.write([3])
            #expect(file.size == 3)
            #expect(try fs.read(dir + "/a") == [1, 2, 3])
            let fresh = try fs.openForAppend(dir + "/b")
            #expect(fresh.size == 0)
        }
    }

    @Test func largeWriteIsWrittenWhole() throws {
        try withTemporaryDirectory { dir in
            let bytes = (0..<3_000_000).map { UInt8(truncatingIfNeeded: $0 &* 31) }
            let file = try fs.create(dir + "/big")
            try file.write(bytes)
            try file.close()
            #expect(try fs.read(dir + "/big") == bytes)
        }
    }

    @Test func directoriesListRenameRemove() throws {
        try withTemporaryDirectory { dir in
            try fs.createDirectory(dir + "/x/y/z")
            try fs.createDirectory(dir + "/x/y")  // exists: fine
            #expect(fs.isDirectory(dir + "/x/y/z"))
            try fs.create(dir + "/x/y/z/f").write([1])
            try fs.create(dir + "/x/b").close()
            try fs.create(dir + "/x/a").close()
            #expect(try fs.list(dir + "/x") == ["a", "b", "y"])
            try fs.syncDirectory(dir + "/x")

            try fs.rename(dir + "/x/a", to: dir + "/x/b")
            #expect(try fs.list(dir + "/x") == ["b", "y"])
            try fs.rename(dir + "/x/y", to: dir + "/x/w")
            #expect(try fs.read(dir + "/x/w/z/f") == [1])

            try fs.remove(dir + "/x/w")
            #expect(!fs.exists(dir + "/x/w"))
            try fs.remove(dir + "/x/b")
            #expect(try fs.list(dir + "/x") == [])
            #expect(throws: FileSystemError(operation: "lstat", path: dir + "/x/b", errno: ENOENT)) { try fs.remove(dir + "/x/b") }
        }
    }

    @Test func createDirectoryOverAFileFails() throws {
        try withTemporaryDirectory { dir in
            try fs.create(dir + "/f").close()
            #expect(throws: FileSystemError(operation: "mkdir", path: dir + "/f", errno: ENOTDIR)) {
                try fs.createDirectory(dir + "/f/g")
            }
        }
    }

    @Test func removeDoesNotFollowSymbolicLinks() throws {
        try withTemporaryDirectory { dir in
            try fs.createDirectory(dir + "/keep")
            try fs.create(dir + "/keep/precious").write([1])
            try fs.createDirectory(dir + "/doomed")
            #expect(symlink(dir + "/keep", dir + "/doomed/link") == 0)
            try fs.remove(dir + "/doomed")
            #expect(try fs.read(dir + "/keep/precious") == [1])
        }
    }

    @Test func truncateShortens() throws {
        try withTemporaryDirectory { dir in
            try fs.create(dir + "/a").write([1, 2, 3, 4])
            try fs.truncate(dir + "/a", to: 1)
            #expect(try fs.read(dir + "/a") == [1])
        }
    }

    @Test func errorsNameOperationPathAndCause() throws {
        try withTemporaryDirectory { dir in
            let error = #expect(throws: FileSystemError.self) { try fs.read(dir + "/missing") }
            #expect(error?.errno == ENOENT)
            #expect(error?.description == "open \(dir)/missing: No such file or directory (errno 2)")
        }
    }

    @Test func secondLockIsRefusedEvenInTheSameProcess() throws {
        try withTemporaryDirectory { dir in
            let first = try fs.lock(dir + "/lock")
            let refused = #expect(throws: FileSystemError.self) { try fs.lock(dir + "/lock") }
            #expect(refused?.errno == EWOULDBLOCK)
            first.release()
            first.release()  // idempotent
            let second = try fs.lock(dir + "/lock")
            second.release()
        }
    }

    @Test func capacityIsPlausible() throws {
        try withTemporaryDirectory { dir in
            let (available, total) = try fs.capacity(of: dir)
            #expect(total > 0)
            #expect(available >= 0 && available <= total)
        }
    }
}
