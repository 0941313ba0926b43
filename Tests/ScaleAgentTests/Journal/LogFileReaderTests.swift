import Testing

#if canImport(Glibc)
import Glibc
#endif

@testable import ScaleAgent
import TestSupport

/// Tailing real files through both kinds of rotation, live and across a restart: every line
/// counted once.
@Suite struct LogFileReaderTests {
    static let tooMany = "2024-05-01 10:00:00.000 UTC [4711] app@shop FATAL:  sorry, too many clients already\n"
    static let deadlock = "2024-05-01 10:00:01.000 UTC [4712] app@shop ERROR:  deadlock detected\n"
    static let crash = "2024-05-01 10:00:02.000 UTC [4713] app@shop WARNING:  terminating connection because of crash of another server process\n"
    static let fork = "2024-05-01 10:00:03.000 UTC [100] LOG:  could not fork new process for connection: Cannot allocate memory\n"
    static let noise = "2024-05-01 10:00:04.000 UTC [100] LOG:  checkpoint complete: wrote 3 buffers (0.0%)\n"

    /// Distinct lines, as real ones are (their timestamps differ).
    static func noise(_ count: Int) -> String {
        (0..<count).map { "2024-05-01 10:11:\($0 / 10)\($0 % 10).000 UTC [100] LOG:  checkpoint starting: time\n" }.joined()
    }

    /// Reads until three passes in a row find nothing (a rotated file is let go after two).
    @discardableResult
    private func drain(_ reader: LogFileReader, _ tally: inout LogTally) throws -> Int {
        var total = 0
        var idle = 0
        while idle < 3 {
            let count = try reader.read(limit: 1000, into: &tally)
            total += count
            idle = count == 0 ? idle + 1 : 0
        }
        return total
    }

    private func errors(_ tally: LogTally, _ kind: PostgresLogMessage.Kind) -> Double {
        tally.postgresErrors.counts.filter { $0.key.kind == kind }.values.reduce(0, +)
    }

    private func copyFile(_ from: String, _ to: String) {
        writeFile(to, (try? FileReading.string(atPath: from)) ?? "")
    }

    @Test func firstRunStartsAtTheEndAndWaitsForWholeLines() throws {
        let directory = TestDirectory(prefix: "scalewatch-journal")
        defer { directory.remove() }
        let log = directory.file("main.log")
        writeFile(log, Self.tooMany + Self.noise)
        let reader = LogFileReader(patterns: [log])
        try reader.start(from: [:])
        var tally = LogTally()
        #expect(try drain(reader, &tally) == 0)
        writeFile(log, Self.tooMany + Self.deadlock + "2024-05-01 10:00:05.000 UTC [4714] app@shop FATAL:  sorry, too", append: true)
        #expect(try drain(reader, &tally) == 2)
        #expect(errors(tally, .tooManyClients) == 1 && errors(tally, .deadlock) == 1)
        writeFile(log, " many clients already\n", append: true)
        #expect(try drain(reader, &tally) == 1)
        #expect(errors(tally, .tooManyClients) == 2)
        #expect(tally.fileLines == [log: 3])
    }

    @Test func renameRotationWhileRunning() throws {
        let directory = TestDirectory(prefix: "scalewatch-journal")
        defer { directory.remove() }
        let log = directory.file("main.log")
        writeFile(log, "")
        let reader = LogFileReader(patterns: [log])
        try reader.start(from: [:])
        var tally = LogTally()
        writeFile(log, Self.tooMany + Self.noise, append: true)
        try drain(reader, &tally)
        // Unread lines, then the rename; the server still writes to the old file for a while.
        writeFile(log, Self.deadlock, append: true)
        #expect(rename(log, log + ".1") == 0)
        writeFile(log + ".1", Self.crash, append: true)
        writeFile(log, Self.fork + Self.noise)
        try drain(reader, &tally)
        #expect(errors(tally, .tooManyClients) == 1)
        #expect(errors(tally, .deadlock) == 1)
        #expect(errors(tally, .crashOfAnotherProcess) == 1)
        #expect(errors(tally, .couldNotFork) == 1)
        #expect(tally.fileLines[log] == 6)
        #expect(tally.fileRotations == [.init(file: log, kind: .rename): 1])
        // And it goes on following the new file.
        writeFile(log, Self.deadlock, append: true)
        try drain(reader, &tally)
        #expect(errors(tally, .deadlock) == 2)
    }

    @Test(arguments: [false, true])
    func copyTruncateWhileRunning(regrowsPastTheOffset: Bool) throws {
        let directory = TestDirectory(prefix: "scalewatch-journal")
        defer { directory.remove() }
        let log = directory.file("postgresql-15-main.log")
        writeFile(log, Self.noise)
        let reader = LogFileReader(patterns: [log])
        try reader.start(from: [:])
        var tally = LogTally()
        writeFile(log, Self.tooMany + Self.noise, append: true)
        try drain(reader, &tally)
        // logrotate copytruncate: lines written since the last read are only in the copy.
        writeFile(log, Self.deadlock, append: true)
        copyFile(log, log + ".1")
        #expect(truncate(log, 0) == 0)
        let after = regrowsPastTheOffset ? Self.noise(10) + Self.fork : Self.fork
        writeFile(log, after, append: true)
        try drain(reader, &tally)
        #expect(errors(tally, .tooManyClients) == 1)
        #expect(errors(tally, .deadlock) == 1)
        #expect(errors(tally, .couldNotFork) == 1)
        #expect(tally.fileRotations == [.init(file: log, kind: .truncate): 1])
        writeFile(log, Self.crash, append: true)
        try drain(reader, &tally)
        #expect(errors(tally, .crashOfAnotherProcess) == 1)
        #expect(errors(tally, .deadlock) == 1)
    }

    @Test func restartWithoutRotationContinuesAtTheOffset() throws {
        let directory = TestDirectory(prefix: "scalewatch-journal")
        defer { directory.remove() }
        let log = directory.file("main.log")
        writeFile(log, Self.tooMany)
        var tally = LogTally()
        let first = LogFileReader(patterns: [log])
        try first.start(from: [:])
        writeFile(log, Self.deadlock, append: true)
        try drain(first, &tally)
        let saved = first.positions()
        first.close()
        writeFile(log, Self.fork, append: true)
        let second = LogFileReader(patterns: [log])
        try second.start(from: saved)
        try drain(second, &tally)
        #expect(errors(tally, .tooManyClients) == 0)
        #expect(errors(tally, .deadlock) == 1)
        #expect(errors(tally, .couldNotFork) == 1)
    }

    /// An agent's first run on `log`: starts at its end, counts `tooMany` appended, saves the
    /// positions of what it rendered and stops.
    private func firstRun(_ log: String) throws -> (tally: LogTally, saved: [String: String]) {
        var tally = LogTally()
        let first = LogFileReader(patterns: [log])
        defer { first.close() }
        try first.start(from: [:])
        writeFile(log, Self.tooMany, append: true)
        try drain(first, &tally)
        return (tally, first.positions())
    }

    @Test func restartAfterARenameWhileDown() throws {
        let directory = TestDirectory(prefix: "scalewatch-journal")
        defer { directory.remove() }
        let log = directory.file("main.log")
        writeFile(log, "")
        let (firstTally, saved) = try firstRun(log)
        var tally = firstTally
        writeFile(log, Self.deadlock, append: true)
        #expect(rename(log, log + ".1") == 0)
        writeFile(log, Self.fork)
        let second = LogFileReader(patterns: [log])
        try second.start(from: saved)
        try drain(second, &tally)
        #expect(errors(tally, .tooManyClients) == 1)
        #expect(errors(tally, .deadlock) == 1)
        #expect(errors(tally, .couldNotFork) == 1)
        #expect(tally.fileRotations == [.init(file: log, kind: .rename): 1])
    }

    @Test func restartAfterACopyTruncateWhileDown() throws {
        let directory = TestDirectory(prefix: "scalewatch-journal")
        defer { directory.remove() }
        let log = directory.file("main.log")
        writeFile(log, Self.noise)
        let (firstTally, saved) = try firstRun(log)
        var tally = firstTally
        writeFile(log, Self.deadlock, append: true)
        copyFile(log, log + ".1")
        #expect(truncate(log, 0) == 0)
        writeFile(log, Self.noise(5) + Self.fork, append: true)
        let second = LogFileReader(patterns: [log])
        try second.start(from: saved)
        try drain(second, &tally)
        #expect(errors(tally, .tooManyClients) == 1)
        #expect(errors(tally, .deadlock) == 1)
        #expect(errors(tally, .couldNotFork) == 1)
        #expect(tally.fileRotations == [.init(file: log, kind: .truncate): 1])
    }

    @Test func anUnrecoverableRotationIsCountedAsLost() throws {
        let directory = TestDirectory(prefix: "scalewatch-journal")
        defer { directory.remove() }
        let log = directory.file("main.log")
        writeFile(log, "")
        let (firstTally, saved) = try firstRun(log)
        var tally = firstTally
        // Rotated and compressed while the agent was down: the rest is out of reach.
        writeFile(log, Self.deadlock, append: true)
        #expect(rename(log, log + ".1.gz") == 0)
        writeFile(log, Self.fork)
        let second = LogFileReader(patterns: [log])
        try second.start(from: saved)
        try drain(second, &tally)
        #expect(errors(tally, .deadlock) == 0)
        #expect(errors(tally, .couldNotFork) == 1)
        #expect(tally.fileRotations == [.init(file: log, kind: .lost): 1])
    }

    @Test func globsPickUpNewFilesFromTheirStart() throws {
        let directory = TestDirectory(prefix: "scalewatch-journal")
        defer { directory.remove() }
        writeFile(directory.file("postgresql-15-main.log"), Self.tooMany)
        writeFile(directory.file("other.txt"), Self.tooMany)
        let reader = LogFileReader(patterns: [directory.file("*.log")])
        try reader.start(from: [:])
        var tally = LogTally()
        try drain(reader, &tally)
        #expect(tally.postgresErrors.counts.isEmpty)
        writeFile(directory.file("postgresql-16-main.log"), Self.deadlock)
        try drain(reader, &tally)
        #expect(tally.postgresErrors.counts == [.init(kind: .deadlock, source: directory.file("postgresql-16-main.log")): 1])
        let saved = reader.positions()
        #expect(saved[LogFileReader.markerKey] == "1")
        #expect(saved.keys.filter { $0.hasPrefix(LogFileReader.keyPrefix) }.count == 2)
        // After a restart, a file that appeared while the agent was down is read from its start.
        writeFile(directory.file("postgresql-17-main.log"), Self.fork)
        let again = LogFileReader(patterns: [directory.file("*.log")])
        try again.start(from: saved)
        try drain(again, &tally)
        #expect(errors(tally, .couldNotFork) == 1)
        #expect(errors(tally, .deadlock) == 1)
    }

    @Test func aLineLongerThanTheBufferIsReadInPieces() throws {
        let directory = TestDirectory(prefix: "scalewatch-journal")
        defer { directory.remove() }
        let log = directory.file("main.log")
        writeFile(log, "")
        let reader = LogFileReader(patterns: [log])
        try reader.start(from: [:])
        var tally = LogTally()
        writeFile(log, String(repeating: "x", count: 150_000) + "\n" + Self.tooMany, append: true)
        try drain(reader, &tally)
        #expect(errors(tally, .tooManyClients) == 1)
        #expect(tally.fileLines[log] == 4)
    }

    @Test func positionsRoundTrip() {
        let file = LogFileReader.parsePosition("2049 131075 88211 0a1bff 00")
        #expect(file?.identity == .init(device: 2049, inode: 131_075))
        #expect(file?.offset == 88211 && file?.fingerprint == .init(head: [0x0a, 0x1b, 0xff], tail: [0]))
        #expect(LogFileReader.parsePosition("1 2 3 - -")?.fingerprint == .init())
        for bad in ["", "1 2 3 -", "1 2 -3 - -", "1 2 3 abc -", "x 2 3 - -", "1 2 3 - zz", "1 2 3 - - -"] {
            #expect(LogFileReader.parsePosition(bad) == nil, "\(bad)")
        }
    }
}
