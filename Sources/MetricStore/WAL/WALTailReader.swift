#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// A cursor over a WAL directory that follows the log as it is written, for consumers such
/// as the remote-write shipper; modelled on Prometheus' `tsdb/wlog/watcher.go`. It has no
/// threads or timers: the consumer polls `next(limit:)` and sleeps when a batch comes back
/// empty. It changes nothing on disk, so it also reads a directory another process writes.
///
/// What it promises:
/// - Whole records only, in log order, each record after `position` exactly once. A record
///   still being written at the end of the newest segment (its bytes only partly there, or
///   zeros) is not yet written: the reader stops before it and reads it at a later poll.
/// - It follows rotation: a segment is finished once a newer one exists (the writer creates
///   the next segment only after the last write to the previous one), and the reader goes
///   on with the next.
/// - Refs resolve: before the first record after `position`, it hands over the series
///   records of the latest checkpoint and of every segment before `position` still on disk,
///   so a consumer that starts or resumes behind a checkpoint knows every series a later
///   sample refers to. Series records may thus arrive twice; samples never do.
/// - Segments removed before it got to them (truncation past the retention bounds) are a
///   gap, reported in the batch and counted; the reader hands over the checkpoint's series
///   again and goes on after the gap.
/// - Damage (a bad checksum, a record cut short in a finished segment) is thrown as a
///   `WALCorruptionError` with directory, segment and offset, after the records before it
///   have been returned; the reader stays in front of it until `skipSegment()`.
///
/// A consumer registers `position.segment` as its low-watermark (`WAL.setLowWatermark`) once
/// it has handled a batch, so that truncation keeps what it has not read. Not thread-safe:
/// one consumer, one reader.
public final class WALTailReader {
    public let directory: String
    let fileSystem: any FileSystem
    /// Where the next record starts.
    public private(set) var position: WALPosition
    /// Segments lost to gaps since the reader was made.
    public private(set) var droppedSegments = 0
    /// Series records to hand over before the record at `position`.
    private var queued: [WALRecord] = []
    /// Whether the series before `position` are still to be queued.
    private var needsSeries = true
    /// Gaps crossed by a call that then failed, for the next batch.
    private var pendingGaps: [WALTailGap] = []

    /// A reader from `position`, or from the start of the oldest segment on disk.
    public init(directory: String, fileSystem: any FileSystem, from position: WALPosition? = nil) throws {
        self.directory = directory
        self.fileSystem = fileSystem
        if let position {
            guard position.segment >= 0 && position.offset >= 0 else { throw WALError.invalidPosition(position) }
            self.position = position
        } else {
            let listing = try WALDirectoryListing(fileSystem: fileSystem, directory: directory)
            self.position = WALPosition(segment: listing.segments.first ?? 0, offset: 0)
        }
    }

    /// Up to `limit` records after `position`, and the gaps crossed; an empty batch means
    /// nothing new has been written yet. Throws `WALCorruptionError` for damage (when no record
    /// comes before it in this batch) and I/O errors.
    public func next(limit: Int = 64) throws -> WALTailBatch {
        guard limit >= 1 else { throw WALError.invalidLimit(limit) }
        var records: [WALRecord] = []
        var vanished = 0
        while records.count < limit {
            if needsSeries {
                queued = try seriesBefore(position)
                needsSeries = false
            }
            if !queued.isEmpty {
                let count = min(limit - records.count, queued.count)
                records += queued.prefix(count)
                queued.removeFirst(count)
                continue
            }
            let listing = try WALDirectoryListing(fileSystem: fileSystem, directory: directory)
            guard listing.segments.contains(position.segment) else {
                // Not yet created, or removed: only a newer segment tells the two apart.
                guard let after = listing.segments.first(where: { $0 > position.segment }) else {
                    // The reader moves to a segment only once it exists, or one past the
                    // newest (`skipSegment`); further on, the position is not this WAL's.
                    if let newest = listing.segments.last, position.segment > newest + 1 {
                        throw WALError.positionAhead(position, newestSegment: newest)
                    }
                    break
                }
                let gap = WALTailGap(segments: position.segment...(after - 1), resumedAt: WALPosition(segment: after, offset: 0))
                pendingGaps.append(gap)
                droppedSegments += gap.segments.count
                position = gap.resumedAt
                // The lost segments' series are in the checkpoint, if still live.
                needsSeries = true
                continue
            }
            // Listed before the segment is measured: if a newer segment existed then, every
            // byte of this one was written before the measurement.
            let finished = listing.segments.last! > position.segment
            switch try read(finished: finished, limit: limit - records.count, into: &records) {
            case .vanished(let error):
                // Removed under the reader: the next listing shows the gap.
                vanished += 1
                if vanished > 3 { throw error }
            case .limitReached:
                continue
            case .finished:
                position = WALPosition(segment: position.segment + 1, offset: 0)
            case .waiting:
                return batch(records)
            case .damaged(let corruption):
                if records.isEmpty && pendingGaps.isEmpty { throw corruption }
                return batch(records)
            }
        }
        return batch(records)
    }

    /// Moves past the rest of the current segment, after damage in it was reported: its
    /// records after the damage are lost to this reader, and the segment is counted as
    /// dropped.
    public func skipSegment() {
        droppedSegments += 1
        position = WALPosition(segment: position.segment + 1, offset: 0)
    }

    private func batch(_ records: [WALRecord]) -> WALTailBatch {
        var batch = WALTailBatch(position: position)
        batch.records = records
        batch.gaps = pendingGaps
        pendingGaps = []
        return batch
    }

    private enum SegmentOutcome {
        case limitReached
        /// Every record of a finished segment read.
        case finished
        /// At the end of what the newest segment holds so far.
        case waiting
        case damaged(WALCorruptionError)
        /// The segment was removed while it was being read.
        case vanished(FileSystemError)
    }

    /// Reads records of the segment at `position` into `records`, advancing `position` past each.
    private func read(finished: Bool, limit: Int, into records: inout [WALRecord]) throws(FileSystemError) -> SegmentOutcome {
        do throws(FileSystemError) {
            return try readRecords(finished: finished, limit: limit, into: &records)
        } catch {
            guard error.errno == ENOENT else { throw error }
            return .vanished(error)
        }
    }

    private func readRecords(finished: Bool, limit: Int, into records: inout [WALRecord]) throws(FileSystemError) -> SegmentOutcome {
        let name = WALFileNames.segment(position.segment)
        // A position past the end of a finished segment (power loss took records this reader
        // had seen, and the WAL went on in a new segment) simply reads as its end.
        var reader = try WALSegmentReader(fileSystem: fileSystem, path: directory + "/" + name, offset: position.offset)
        var read = 0
        while read < limit {
            switch try reader.next() {
            case .record(let type, let payload, let offset):
                do throws(DecodeError) {
                    records.append(try WALRecordDecoder.decode(type: type, payload: payload))
                } catch {
                    return .damaged(WALCorruptionError(
                        directory: directory, segment: name, offset: offset, reason: .malformedPayload(error)))
                }
                read += 1
                position.offset = reader.offset
            case .end:
                return finished ? .finished : .waiting
            case .incomplete(let offset):
                guard finished else { return .waiting }
                return .damaged(WALCorruptionError(directory: directory, segment: name, offset: offset, reason: .truncatedRecord))
            case .damaged(let offset, let reason):
                return .damaged(WALCorruptionError(directory: directory, segment: name, offset: offset, reason: reason))
            }
        }
        return .limitReached
    }

    /// The series records a consumer at `position` needs to resolve refs: the latest
    /// checkpoint's, then those of the segments on disk before `position`. Retried when a
    /// newer checkpoint replaces the one being read.
    private func seriesBefore(_ position: WALPosition) throws -> [WALRecord] {
        var attempt = 0
        while true {
            do {
                return try collectSeries(before: position)
            } catch let error as FileSystemError where error.errno == ENOENT && attempt < 3 {
                attempt += 1
            }
        }
    }

    private func collectSeries(before position: WALPosition) throws -> [WALRecord] {
        var series: [WALRecord] = []
        let listing = try WALDirectoryListing(fileSystem: fileSystem, directory: directory)
        if let checkpoint = listing.checkpoints.last {
            let checkpointDirectory = directory + "/" + WALFileNames.checkpoint(checkpoint)
            let inner = try WALDirectoryListing(fileSystem: fileSystem, directory: checkpointDirectory)
            for segment in inner.segments {
                try collectSeries(segment: segment, in: checkpointDirectory, before: nil, into: &series)
            }
        }
        for segment in listing.segments where segment <= position.segment {
            let end = segment == position.segment ? position.offset : nil
            if end == 0 { continue }
            try collectSeries(segment: segment, in: directory, before: end, into: &series)
        }
        return series
    }

    /// The series records of one finished segment (or of the part before `end`).
    private func collectSeries(segment: Int, in directory: String, before end: Int?, into series: inout [WALRecord]) throws {
        let name = WALFileNames.segment(segment)
        var reader = try WALSegmentReader(fileSystem: fileSystem, path: directory + "/" + name)
        while true {
            switch try reader.next() {
            case .record(let type, let payload, let offset):
                if let end, offset >= end { return }
                guard WALRecordType(byte: type) == .series else { continue }
                do throws(DecodeError) {
                    series.append(try WALRecordDecoder.decode(type: type, payload: payload))
                } catch {
                    throw WALCorruptionError(directory: directory, segment: name, offset: offset, reason: .malformedPayload(error))
                }
            case .end:
                return
            case .incomplete(let offset):
                if let end, offset >= end { return }
                throw WALCorruptionError(directory: directory, segment: name, offset: offset, reason: .truncatedRecord)
            case .damaged(let offset, let reason):
                if let end, offset >= end { return }
                throw WALCorruptionError(directory: directory, segment: name, offset: offset, reason: reason)
            }
        }
    }
}
