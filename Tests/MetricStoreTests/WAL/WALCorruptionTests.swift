import Testing
@testable import MetricStore
import TestSupport

/// Damage in the middle of the WAL is reported with its place, everything before it is kept,
/// and replay goes on with the next segment.
@Suite struct WALCorruptionTests {
    /// Ten sample records of one sample each, three per segment; returns the file system and
    /// every record's (segment, offset).
    private func writeTen() throws -> (PowerLossFileSystem, [(segment: Int, offset: Int)]) {
        let fs = WALFixtures.fileSystem()
        let frameSize = WALRecordEncoder.frames(samples: [WALFixtures.sample(1, 0, 0)])[0].count
        let (wal, _, _) = try WALFixtures.open(fs, segmentSize: 3 * frameSize)
        var places: [(Int, Int)] = []
        for index in 0..<10 {
            let before = try wal.currentSegment
            let path = WALFixtures.directory + "/" + WALFileNames.segment(before)
            let size = try fs.size(of: path)
            try wal.log(samples: [WALFixtures.sample(1, Int64(index), Double(index))])
            let segment = try wal.currentSegment
            places.append(segment == before ? (segment, size) : (segment, 0))
        }
        try wal.close()
        return (fs, places)
    }

    private func flip(_ fs: PowerLossFileSystem, segment: Int, byte offset: Int, mask: UInt8 = 0x10) throws {
        let path = WALFixtures.directory + "/" + WALFileNames.segment(segment)
        var bytes = try fs.read(path)
        bytes[offset] ^= mask
        let file = try fs.create(path)
        try file.write(bytes)
    }

    private func values(_ records: [WALRecord]) -> [Double] {
        WALFixtures.samples(in: records).map(\.sample.value)
    }

    @Test func bitFlipInAMiddleSegmentNamesFileAndOffsetAndKeepsTheRest() throws {
        let (fs, places) = try writeTen()
        // Record 4 is the second of segment 1: flip a payload bit.
        let (segment, offset) = places[4]
        #expect(segment == 1 && offset > 0)
        try flip(fs, segment: segment, byte: offset + WALRecordFrame.headerSize + 3)
        let (records, report) = try WALFixtures.replay(fs)
        #expect(values(records) == [0, 1, 2, 3, 6, 7, 8, 9])
        #expect(report.corruptions.count == 1)
        let error = try #require(report.corruptions.first)
        #expect(error.directory == WALFixtures.directory)
        #expect(error.segment == "00000001")
        #expect(error.offset == offset)
        guard case .checksumMismatch = error.reason else { Issue.record("reason \(error.reason)"); return }
        #expect(error.description.hasPrefix("WAL corruption in /data/wal, segment 00000001 at byte \(offset): CRC-32C mismatch"))
        #expect(report.tornTail == nil)
    }

    @Test func bitFlipInTheLastSegmentIsDamageNotATornTail() throws {
        let (fs, places) = try writeTen()
        let (segment, offset) = places[9]
        try flip(fs, segment: segment, byte: offset + WALRecordFrame.headerSize + 1)
        let (records, report) = try WALFixtures.replay(fs)
        #expect(values(records) == [0, 1, 2, 3, 4, 5, 6, 7, 8])
        #expect(report.tornTail == nil)
        #expect(report.corruptions.map(\.offset) == [offset])
    }

    @Test func impossibleLengthIsDamage() throws {
        let (fs, places) = try writeTen()
        let (segment, offset) = places[1]
        try flip(fs, segment: segment, byte: offset + 1, mask: 0x80)
        let (_, report) = try WALFixtures.replay(fs)
        let payloadLength = places[2].offset - places[1].offset - WALRecordFrame.headerSize
        #expect(report.corruptions.map(\.reason) == [.impossibleLength(0x8000_0000 + payloadLength)])
    }

    /// Every single-bit flip anywhere in a middle segment is found at the start of the record
    /// it hit (the CRC covers type, length and payload) and never traps; the records before it
    /// and the later segments are kept.
    @Test func everyBitFlipIsDetected() throws {
        let (pristine, places) = try writeTen()
        let frameSize = places[4].offset
        let size = try pristine.size(of: WALFixtures.directory + "/00000001")
        #expect(size == 3 * frameSize)
        for byte in 0..<size {
            let hit = byte / frameSize  // 0, 1, 2: records 3, 4, 5
            for bit in 0..<8 {
                let fs = pristine.crash()
                try flip(fs, segment: 1, byte: byte, mask: 1 << bit)
                let (records, report) = try WALFixtures.replay(fs)
                let kept = [0, 1, 2] + (3..<3 + hit).map(Double.init) + [6, 7, 8, 9]
                #expect(values(records) == kept, "byte \(byte) bit \(bit)")
                #expect(report.corruptions.map(\.offset) == [hit * frameSize], "byte \(byte) bit \(bit)")
                #expect(report.corruptions.first?.segment == "00000001")
                #expect(report.tornTail == nil)
            }
        }
    }

    @Test func zeroTypeFollowedByDataIsDamage() throws {
        let (fs, places) = try writeTen()
        let (segment, offset) = places[7]
        try flip(fs, segment: segment, byte: offset, mask: 0x02)  // samples type 2 → 0
        let (_, report) = try WALFixtures.replay(fs)
        #expect(report.corruptions.map(\.reason) == [.invalidType(0)])
    }

    @Test func missingSegmentIsReported() throws {
        let (fs, _) = try writeTen()
        try fs.remove(WALFixtures.directory + "/00000001")
        let (records, report) = try WALFixtures.replay(fs)
        #expect(values(records) == [0, 1, 2, 6, 7, 8, 9])
        #expect(report.corruptions == [WALCorruptionError(directory: WALFixtures.directory, segment: "00000001", offset: 0, reason: .missingSegment)])
    }

    @Test func openDoesNotFailAndRepairQuarantinesTheDamagedRest() throws {
        let (fs, places) = try writeTen()
        let (segment, offset) = places[4]
        try flip(fs, segment: segment, byte: offset + WALRecordFrame.headerSize + 3)
        let segmentPath = WALFixtures.directory + "/00000001"
        let damagedBytes = Array(try fs.read(segmentPath)[offset...])

        let (wal, records, report) = try WALFixtures.open(fs)
        #expect(values(records) == [0, 1, 2, 3, 6, 7, 8, 9])
        let corruption = try #require(report.corruptions.first)
        try wal.repair(corruption, quarantineDirectory: "/data/quarantine")
        #expect(try fs.size(of: segmentPath) == offset)
        #expect(try fs.read("/data/quarantine/wal-00000001-at-\(offset)") == damagedBytes)
        try wal.log(samples: [WALFixtures.sample(1, 10, 10)])
        try wal.close()

        let (after, afterReport) = try WALFixtures.replay(fs)
        #expect(values(after) == [0, 1, 2, 3, 6, 7, 8, 9, 10])
        #expect(afterReport.corruptions.isEmpty && afterReport.tornTail == nil)
    }
}
