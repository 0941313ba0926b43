import Testing

@testable import MetricStore
import TestSupport

/// State files beside the store are replaced through `AtomicFile`: after a power loss at any
/// point, in every crash mode, a reader finds one whole version — never a torn mix — and never
/// one older than the last write that returned.
@Suite struct AtomicFileTests {
    static let path = "/data/logs/state"
    static let versions: [[UInt8]] = [
        Array("first version\n".utf8), Array(String(repeating: "second, longer version\n", count: 40).utf8), Array("3\n".utf8),
    ]

    /// Writes every version in turn until the power goes out; returns how many returned.
    static func run(on fs: PowerLossFileSystem) -> Int {
        let file = AtomicFile(path: path, fileSystem: fs)
        var written = 0
        for version in versions {
            guard (try? file.write(version)) != nil else { break }
            written += 1
        }
        return written
    }

    @Test func everyCrashPointInEveryModeLeavesOneWholeVersion() throws {
        let counting = PowerLossFileSystem()
        #expect(Self.run(on: counting) == Self.versions.count)
        let total = counting.mutatingOperations
        for crashPoint in 0...total {
            let fs = PowerLossFileSystem(crashAfter: crashPoint)
            let written = Self.run(on: fs)
            for mode in PowerLossFileSystem.CrashMode.all {
                let context: Comment = "crash after \(crashPoint) of \(total), \(mode)"
                let found = try AtomicFile(path: Self.path, fileSystem: fs.crash(mode)).read()
                if written == 0 {
                    #expect(found == nil || found == Self.versions[0], context)
                } else {
                    // The last write that returned, or the one in flight at the crash.
                    let allowed = Self.versions[(written - 1)...].prefix(2)
                    #expect(found.map { allowed.contains($0) } == true, context)
                }
            }
        }
    }

    @Test func aMissingFileReadsAsNilAndALeftoverTemporaryIsReplaced() throws {
        let fs = PowerLossFileSystem()
        let file = AtomicFile(path: Self.path, fileSystem: fs)
        #expect(try file.read() == nil)
        try fs.createDirectory("/data/logs")
        let leftover = try fs.create(file.temporaryPath)
        try leftover.write(Array("torn".utf8))
        try leftover.close()
        #expect(try file.read() == nil)
        try file.write(Self.versions[2])
        #expect(try file.read() == Self.versions[2])
    }
}
