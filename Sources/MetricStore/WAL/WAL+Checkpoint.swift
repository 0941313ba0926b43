/// Checkpointing and truncation, the way Prometheus' TSDB does it: after the head has written
/// a block, the closed segments are condensed into `checkpoint.N` (the series still live, and
/// the samples not yet in a block) and then removed, unless a consumer still needs them
/// (`WAL+Truncation.swift`).
///
/// The order makes every crash point safe: the checkpoint is written under a temporary name,
/// synced, renamed (and the directory synced) before anything it replaces is removed; replay
/// reads only the latest checkpoint and the segments after it, so leftovers are harmless:
/// `open` keeps them within the retention bounds, and the next truncation decides.
extension WAL {
    /// Cuts the segment, checkpoints everything before it, and removes what the checkpoint
    /// replaced and no consumer needs: the call the store makes after writing a block.
    ///
    /// - Parameters:
    ///   - minTime: samples older than this are in a block now and are dropped.
    ///   - keepSeries: whether a series is still live in the head; others are dropped with
    ///     their samples. Called without the WAL's lock held, once per entry.
    ///   - now: the clock for the retention's age bound.
    @discardableResult
    public func checkpointAndTruncate(
        minTime: Int64, now: ContinuousClock.Instant = .now, keepSeries: (SeriesRef) -> Bool
    ) throws -> WALCheckpointStats {
        let current = try cutSegment()
        guard current > 0 else { return WALCheckpointStats() }
        var stats = try checkpoint(through: current - 1, minTime: minTime, keepSeries: keepSeries)
        let plan = try truncate(before: current, now: now)
        stats.segmentsKept = plan.kept.count
        stats.segmentsDropped = plan.dropped.count
        return stats
    }

    /// Writes `checkpoint.<last>`: the previous checkpoint and segments up to `last`, filtered,
    /// then removes older checkpoints. Segments are left for `truncate(before:)`. Does not
    /// hold the WAL's lock while it reads and writes (it touches only closed segments), so
    /// logging goes on meanwhile; run one checkpoint at a time.
    ///
    /// Throws `WALCorruptionError` if an input segment is damaged (repair it first), and
    /// `WALError.segmentInUse` if `last` is the segment being written.
    @discardableResult
    public func checkpoint(through last: Int, minTime: Int64, keepSeries: (SeriesRef) -> Bool) throws -> WALCheckpointStats {
        let current = try currentSegment
        guard last < current else { throw WALError.segmentInUse(last) }
        let listing = try WALDirectoryListing(fileSystem: fileSystem, directory: directory)
        let previous = listing.checkpoints.last
        if let previous, previous >= last { return WALCheckpointStats(checkpoint: previous) }

        let temporary = directory + "/" + WALFileNames.temporaryCheckpoint(last)
        if fileSystem.exists(temporary) { try fileSystem.remove(temporary) }
        try fileSystem.createDirectory(temporary)
        var stats = WALCheckpointStats(checkpoint: last)
        do {
            let writer = try WALSegmentWriter(
                fileSystem: fileSystem, directory: temporary, index: 0, segmentSize: options.segmentSize)
            for (inputDirectory, segment) in try inputs(listing: listing, previous: previous, through: last) {
                try copy(segment: segment, in: inputDirectory, to: writer, minTime: minTime,
                         keepSeries: keepSeries, stats: &stats)
            }
            // Syncs the last segment and the temporary directory's entries.
            try writer.close()
        } catch {
            try? fileSystem.remove(temporary)
            throw error
        }
        try fileSystem.rename(temporary, to: directory + "/" + WALFileNames.checkpoint(last))
        try fileSystem.syncDirectory(directory)

        let older = listing.checkpoints.filter { $0 < last }
        for index in older { try fileSystem.remove(directory + "/" + WALFileNames.checkpoint(index)) }
        if !older.isEmpty { try fileSystem.syncDirectory(directory) }
        return stats
    }

    /// The segments a checkpoint through `last` reads: the previous checkpoint's, then the
    /// WAL's after it. A gap means lost records, which a checkpoint must not paper over.
    private func inputs(listing: WALDirectoryListing, previous: Int?, through last: Int) throws -> [(String, Int)] {
        var inputs: [(String, Int)] = []
        if let previous {
            let checkpointDirectory = directory + "/" + WALFileNames.checkpoint(previous)
            let inner = try WALDirectoryListing(fileSystem: fileSystem, directory: checkpointDirectory)
            inputs += inner.segments.map { (checkpointDirectory, $0) }
        }
        let segments = listing.segments.filter { $0 > (previous ?? -1) && $0 <= last }
        var expected = previous.map { $0 + 1 } ?? segments.first ?? 0
        for segment in segments {
            guard segment == expected else {
                throw WALCorruptionError(directory: directory, segment: WALFileNames.segment(expected), offset: 0, reason: .missingSegment)
            }
            expected += 1
            inputs.append((directory, segment))
        }
        return inputs
    }

    private func copy(
        segment: Int, in inputDirectory: String, to writer: WALSegmentWriter, minTime: Int64,
        keepSeries: (SeriesRef) -> Bool, stats: inout WALCheckpointStats
    ) throws {
        let reader = WALReader(directory: inputDirectory, fileSystem: fileSystem)
        let outcome = try reader.read(segment: segment, in: inputDirectory, tailMayBeTorn: false) { type, payload, record in
            switch record {
            // A record kept whole (the common case: the head's recent samples, its live
            // series) is copied as it was read instead of being encoded again.
            case .series(let series):
                let kept = series.filter { keepSeries($0.ref) }
                stats.seriesKept += kept.count
                stats.seriesDropped += series.count - kept.count
                if !kept.isEmpty, kept.count == series.count {
                    try writer.append([WALRecordFrame.frame(type: type, payload: Array(payload))])
                } else {
                    try writer.append(try WALRecordEncoder.frames(series: kept))
                }
            case .samples(let samples):
                let kept = samples.filter { $0.sample.timestamp >= minTime && keepSeries($0.ref) }
                stats.samplesKept += kept.count
                stats.samplesDropped += samples.count - kept.count
                if !kept.isEmpty, kept.count == samples.count {
                    try writer.append([WALRecordFrame.frame(type: type, payload: Array(payload))])
                } else {
                    try writer.append(WALRecordEncoder.frames(samples: kept))
                }
            case .unknown:
                stats.unknownRecordsKept += 1
                try writer.append([WALRecordFrame.frame(type: type, payload: Array(payload))])
            }
        }
        switch outcome {
        case .complete: return
        case .damaged(let error): throw error
        case .tornTail(let tail):
            throw WALCorruptionError(directory: tail.directory, segment: tail.segment, offset: tail.offset, reason: .truncatedRecord)
        }
    }
}
