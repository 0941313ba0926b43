/// Reads a WAL directory without changing anything in it: the latest checkpoint first, then
/// the segments after it, in order. `WAL.open` uses it before writing; read-only commands
/// (`export`, `tsdb stats`) use it on a directory the agent is writing.
///
/// - A torn tail (the last non-empty segment ends inside a record, or in zero bytes) ends
///   replay quietly and is reported in `WALReplayReport.tornTail`.
/// - Damage anywhere else stops replay of that segment: the records before it have been
///   handed over, the damage goes into `WALReplayReport.corruptions`, and replay goes on with
///   the next segment. Samples after a gap are still worth having; series they refer to that
///   were lost in the gap show up as unknown refs, which the head counts and drops.
public struct WALReader: Sendable {
    public let directory: String
    let fileSystem: any FileSystem

    public init(directory: String, fileSystem: any FileSystem) {
        self.directory = directory
        self.fileSystem = fileSystem
    }

    /// Hands every record to `body`, in order. Throws only what `body` throws and I/O errors;
    /// damage is reported, not thrown.
    public func replay(_ body: (WALRecord) throws -> Void) throws -> WALReplayReport {
        var report = WALReplayReport()
        let listing = try WALDirectoryListing(fileSystem: fileSystem, directory: directory)
        if let checkpoint = listing.checkpoints.last {
            report.checkpoint = checkpoint
            let checkpointDirectory = directory + "/" + WALFileNames.checkpoint(checkpoint)
            let inner = try WALDirectoryListing(fileSystem: fileSystem, directory: checkpointDirectory)
            // A checkpoint was synced before it got its name: an incomplete record in it is
            // damage, never a torn tail.
            try replay(segments: inner.segments, in: checkpointDirectory, firstExpected: 0,
                       tailMayBeTorn: false, report: &report, body)
        }
        let segments = listing.liveSegments
        report.segments = segments
        try replay(segments: segments, in: directory, firstExpected: report.checkpoint.map { $0 + 1 },
                   tailMayBeTorn: true, report: &report, body)
        return report
    }

    private func replay(
        segments: [Int], in directory: String, firstExpected: Int?, tailMayBeTorn: Bool,
        report: inout WALReplayReport, _ body: (WALRecord) throws -> Void
    ) throws {
        var sizes: [Int] = []
        for segment in segments {
            sizes.append(try fileSystem.size(of: directory + "/" + WALFileNames.segment(segment)))
        }
        // Segments after the last non-empty one are empty (the writer creates a segment before
        // writing to it), so the tail that may be torn is the last non-empty segment's.
        let lastNonEmpty = sizes.lastIndex { $0 > 0 }
        var expected = firstExpected ?? segments.first ?? 0
        for (position, segment) in segments.enumerated() {
            while expected < segment {
                report.corruptions.append(WALCorruptionError(
                    directory: directory, segment: WALFileNames.segment(expected), offset: 0, reason: .missingSegment))
                expected += 1
            }
            expected = segment + 1
            let outcome = try read(
                segment: segment, in: directory, tailMayBeTorn: tailMayBeTorn && position == lastNonEmpty
            ) { _, _, record in
                report.records += 1
                if case .unknown = record { report.unknownRecords += 1 }
                try body(record)
            }
            switch outcome {
            case .complete: break
            case .tornTail(let tail): report.tornTail = tail
            case .damaged(let error): report.corruptions.append(error)
            }
        }
    }

    enum SegmentOutcome {
        case complete
        case tornTail(WALTornTail)
        case damaged(WALCorruptionError)
    }

    /// Hands each record of one segment to `body` with its raw type byte and payload, until
    /// the end or the first damage, and says which it was.
    func read(
        segment: Int, in directory: String, tailMayBeTorn: Bool,
        _ body: (UInt8, ArraySlice<UInt8>, WALRecord) throws -> Void
    ) throws -> SegmentOutcome {
        let name = WALFileNames.segment(segment)
        var reader = try WALSegmentReader(fileSystem: fileSystem, path: directory + "/" + name)
        while true {
            switch try reader.next() {
            case .record(let type, let payload, let offset):
                let record: WALRecord
                do throws(DecodeError) {
                    record = try WALRecordDecoder.decode(type: type, payload: payload)
                } catch {
                    return .damaged(WALCorruptionError(
                        directory: directory, segment: name, offset: offset, reason: .malformedPayload(error)))
                }
                try body(type, payload, record)
            case .end:
                return .complete
            case .incomplete(let offset) where tailMayBeTorn:
                return .tornTail(WALTornTail(
                    directory: directory, segment: name, offset: offset,
                    discardedBytes: reader.fileSize - offset, truncated: false))
            case .incomplete(let offset):
                return .damaged(WALCorruptionError(directory: directory, segment: name, offset: offset, reason: .truncatedRecord))
            case .damaged(let offset, let reason):
                return .damaged(WALCorruptionError(directory: directory, segment: name, offset: offset, reason: reason))
            }
        }
    }
}
