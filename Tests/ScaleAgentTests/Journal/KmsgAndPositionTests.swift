import Testing

#if canImport(Glibc)
import Glibc
#endif

@testable import ScaleAgent
import TestSupport

@Suite struct KmsgRecordTests {
    @Test func parsesARecordWithContinuationLines() throws {
        let record = try KmsgRecord.parse(
            "3,1234,5678901,-;Out of memory: Killed process 4711 (postgres) total-vm:1kB\n SUBSYSTEM=mem\n DEVICE=+mem:x\n")
        #expect(record == KmsgRecord(facility: 0, level: 3, sequence: 1234, monotonicMicroseconds: 5_678_901,
            message: "Out of memory: Killed process 4711 (postgres) total-vm:1kB"))
    }

    @Test func userspaceRecordsHaveAFacility() throws {
        // LOG_DAEMON (3) × 8 + LOG_WARNING (4), extra header fields ignored.
        let record = try KmsgRecord.parse("28,77,100,-,caller=T1;systemd[1]: app.service: Failed with result 'signal'.\n")
        #expect(record.facility == 3 && record.level == 4 && record.sequence == 77)
        #expect(record.message == "systemd[1]: app.service: Failed with result 'signal'.")
    }

    @Test func emptyMessage() throws {
        #expect(try KmsgRecord.parse("6,1,2,-;\n").message == "")
    }

    @Test(arguments: ["", "no semicolon", "6,1,2;x", "x,1,2,-;m", "6,-1,2,-;m", "6,1,t,-;m", "-6,1,2,-;m"])
    func rejectsMalformed(text: String) {
        #expect(throws: KmsgRecord.Malformed.self) { try KmsgRecord.parse(text) }
    }

    @Test func kmsgReaderResumesOnTheSameBootOnly() throws {
        let directory = TestDirectory(prefix: "scalewatch-journal")
        defer { directory.remove() }
        writeFile(directory.file("boot_id"), "11111111-2222-3333-4444-555555555555\n")
        // A regular file stands in for /dev/kmsg: one read returns it whole, so one record.
        writeFile(directory.file("kmsg"), "3,41,1000,-;Out of memory: Killed process 9 (x)\n")
        let reader = KmsgLogReader(path: directory.file("kmsg"), bootIDPath: directory.file("boot_id"))
        try reader.start(from: ["kmsg": "11111111-2222-3333-4444-555555555555 41"])
        var tally = LogTally()
        #expect(try reader.read(limit: 10, into: &tally) == 0)
        try reader.start(from: ["kmsg": "other-boot 41"])
        #expect(try reader.read(limit: 10, into: &tally) == 1)
        #expect(tally.oomKills.counts.values.reduce(0, +) == 1)
        #expect(reader.positions() == ["kmsg": "11111111-2222-3333-4444-555555555555 41"])
        reader.close()
    }
}

@Suite struct LogPositionFileTests {
    @Test func roundTripsAndReplacesAtomically() throws {
        let directory = TestDirectory(prefix: "scalewatch-journal")
        defer { directory.remove() }
        let file = LogPositionFile(path: directory.file("logs/journal.positions"))
        #expect(try file.load() == [:])
        let positions = ["journal": "s=abc;i=1;b=x;m=1;t=2;x=3", "file:/var/log/postgresql/a b.log": "1 2 3 -"]
        try file.save(positions)
        #expect(try file.load() == positions)
        try file.save(["kmsg": "boot 12"])
        #expect(try file.load() == ["kmsg": "boot 12"])
        #expect(access(directory.file("logs/journal.positions.tmp"), F_OK) != 0)
    }

    @Test(arguments: ["", "journal\tx\n", "scalewatch-log-positions 2\n", "scalewatch-log-positions 1\nno tab here\n"])
    func rejectsCorruptFiles(text: String) {
        #expect(throws: LogPositionFile.CorruptFile.self) { try LogPositionFile.parse(text, path: "p") }
    }
}
