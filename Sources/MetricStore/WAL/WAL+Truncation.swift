/// Truncation, and the low-watermarks of the WAL's consumers that hold it back.
///
/// A consumer (a `WALTailReader` behind a remote-write receiver that is down) registers the
/// oldest segment it still needs; truncation then keeps the segments from the lowest
/// watermark on, within `WALOptions.retention`, and removes them anyway past it. Kept
/// segments sit before the latest checkpoint, where replay and the next checkpoint never look,
/// so keeping them changes nothing but disk use. Watermarks live in memory: a consumer
/// registers again after a restart, and `open` keeps what the bounds allow until then.
extension WAL {
    /// Registers the oldest segment `consumer` still needs (nil: it needs none any more).
    /// Moving it forward lets the next truncation remove what it has read.
    public func setLowWatermark(_ segment: Int?, consumer: String) {
        state.withLock { $0.watermarks[consumer] = segment }
    }

    /// The lowest of the consumers' watermarks.
    public var lowWatermark: Int? {
        state.withLock { $0.watermarks.values.min() }
    }

    public var retentionStats: WALRetentionStats {
        state.withLock { $0.retention }
    }

    /// Removes the segments before `first`, except those a consumer still needs within the
    /// retention bounds. Without a checkpoint covering them, their series records are gone
    /// with them: call after `checkpoint(through: first - 1, …)`.
    @discardableResult
    public func truncate(before first: Int, now: ContinuousClock.Instant = .now) throws -> WALRetentionPlan {
        let current = try currentSegment
        guard first <= current else { throw WALError.segmentInUse(current) }
        let listing = try WALDirectoryListing(fileSystem: fileSystem, directory: directory)
        let candidates = listing.segments.filter { $0 < first }
        let (floor, keptSince) = state.withLock { ($0.watermarks.values.min(), $0.keptSince) }
        var sizes: [Int: Int] = [:]
        if let floor {
            for segment in candidates where segment >= floor {
                sizes[segment] = try fileSystem.size(of: directory + "/" + WALFileNames.segment(segment))
            }
        }
        let plan = WALRetentionPlan(
            candidates: candidates, floor: floor, sizes: sizes, keptSince: keptSince, now: now, retention: options.retention)
        for segment in plan.removed { try fileSystem.remove(directory + "/" + WALFileNames.segment(segment)) }
        if !plan.removed.isEmpty { try fileSystem.syncDirectory(directory) }
        state.withLock { state in
            var since: [Int: ContinuousClock.Instant] = [:]
            for segment in plan.kept { since[segment] = state.keptSince[segment] ?? now }
            state.keptSince = since
            state.retention.keptSegments = plan.kept.count
            state.retention.keptBytes = plan.keptBytes
            state.retention.droppedSegments += plan.dropped.count
        }
        return plan
    }
}
