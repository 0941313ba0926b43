import Testing
@testable import MetricStore
import TestSupport

/// A crash in the middle of a write leaves an incomplete last record: it is dropped with a
/// note, never reported as damage, and the WAL goes on after it.
@Suite struct WALTornTailTests {
    static let a = WALRecord.series([WALFixtures.series(1)])
    static let b = WALRecord.samples([WALFixtures.sample(1, 1000, 1), WALFixtures.sample(1, 2000, StaleMarker.value)])
    static let c = WALRecord.samples([WALFixtures.sample(1, 3000, 3)])
    static let d = WALRecord.samples([WALFixtures.sample(1, 4000, 4)])

    /// Writes a, b, c (with `segmentSize`, possibly over several segments) and returns the
    /// file system, the path of c's segment and c's offset in it.
    private func writeThree(segmentSize: Int = WALOptions.defaultSegmentSize) throws -> (PowerLossFileSystem, String, Int) {
        let fs = WALFixtures.fileSystem()
        let (wal, _, _) = try WALFixtures.open(fs, segmentSize: segmentSize)
        try log(Self.a, to: wal)
        try log(Self.b, to: wal)
        try log(Self.c, to: wal)
        let path = WALFixtures.directory + "/" + WALFileNames.segment(try wal.currentSegment)
        try wal.close()
        let frame = WALRecordEncoder.frames(samples: [WALFixtures.sample(1, 3000, 3)])[0]
        return (fs, path, try fs.size(of: path) - frame.count)
    }

    private func log(_ record: WALRecord, to wal: WAL) throws {
        switch record {
        case .series(let series): try wal.log(series: series)
        case .samples(let samples): try wal.log(samples: samples)
        case .unknown: Issue.record("not used here")
        }
    }

    private func lastSegment(_ fs: PowerLossFileSystem) throws -> Int {
        try fs.list(WALFixtures.directory).compactMap(WALFileNames.parseSegment).max()!
    }

    @Test func everyTruncationOfTheLastRecordIsATornTail() throws {
        let (pristine, path, start) = try writeThree()
        let end = try pristine.size(of: path)
        for length in start + 1..<end {
            let fs = pristine.crash()  // an independent copy
            try fs.truncate(path, to: length)

            let (readOnly, readReport) = try WALFixtures.replay(fs)
            #expect(readOnly == [Self.a, Self.b], "cut at \(length)")
            #expect(readReport.corruptions.isEmpty, "cut at \(length)")
            #expect(readReport.tornTail == WALTornTail(
                directory: WALFixtures.directory, segment: "00000000", offset: start,
                discardedBytes: length - start, truncated: false))
            #expect(try fs.size(of: path) == length, "the reader changes nothing")

            let (wal, records, report) = try WALFixtures.open(fs)
            #expect(records == [Self.a, Self.b])
            #expect(report.tornTail?.truncated == true)
            #expect(report.notes.count == 1 && report.notes[0].contains("torn record at byte \(start)"))
            #expect(try fs.size(of: path) == start)
            try log(Self.d, to: wal)
            try wal.close()
            let (after, afterReport) = try WALFixtures.replay(fs)
            #expect(after == [Self.a, Self.b, Self.d], "cut at \(length)")
            #expect(afterReport.corruptions.isEmpty && afterReport.tornTail == nil)
        }
    }

    @Test(arguments: [1, 8, 9, 100, 5000])
    func zeroFilledTailIsATornTail(zeros: Int) throws {
        let (fs, path, _) = try writeThree()
        let end = try fs.size(of: path)
        try fs.openForAppend(path).write([UInt8](repeating: 0, count: zeros))
        let (records, report) = try WALFixtures.replay(fs)
        #expect(records == [Self.a, Self.b, Self.c])
        #expect(report.tornTail?.offset == end && report.tornTail?.discardedBytes == zeros)
        #expect(report.corruptions.isEmpty)
    }

    @Test func tornTailBeforeEmptySegmentsIsStillATornTail() throws {
        let (fs, path, start) = try writeThree()
        try fs.truncate(path, to: start + 3)
        try fs.create(WALFixtures.directory + "/00000001").close()
        try fs.create(WALFixtures.directory + "/00000002").close()
        let (records, report) = try WALFixtures.replay(fs)
        #expect(records == [Self.a, Self.b])
        #expect(report.tornTail?.segment == "00000000")
        #expect(report.corruptions.isEmpty)
    }

    @Test func incompleteRecordInAnEarlierSegmentIsDamage() throws {
        let (fs, _, _) = try writeThree(segmentSize: 60)
        #expect(try lastSegment(fs) >= 1)
        let first = WALFixtures.directory + "/00000000"
        let size = try fs.size(of: first)
        try fs.truncate(first, to: size - 1)
        let (_, report) = try WALFixtures.replay(fs)
        #expect(report.tornTail == nil)
        #expect(report.corruptions.map(\.reason) == [.truncatedRecord])
        #expect(report.corruptions.first?.segment == "00000000")
    }
}
