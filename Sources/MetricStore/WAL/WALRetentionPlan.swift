/// Which of the segments truncation may remove it keeps for consumers: the newest ones from
/// the lowest watermark on, as long as they stay within the retention bounds. What is kept is
/// always a run of consecutive segments ending at the newest candidate, so a consumer never
/// finds a hole in the middle of what it still has to read.
public struct WALRetentionPlan: Hashable, Sendable {
    public private(set) var kept: [Int] = []
    public private(set) var removed: [Int] = []
    /// The removed segments a consumer still needed.
    public private(set) var dropped: [Int] = []
    public private(set) var keptBytes = 0

    /// - Parameters:
    ///   - candidates: the segments truncation would remove, ascending.
    ///   - floor: the lowest watermark of all consumers; nil without consumers.
    ///   - sizes: the byte size of each candidate from `floor` on.
    ///   - keptSince: when each segment was first kept; missing means now.
    init(
        candidates: [Int], floor: Int?, sizes: [Int: Int], keptSince: [Int: ContinuousClock.Instant],
        now: ContinuousClock.Instant, retention: WALRetention
    ) {
        var keptSet: Set<Int> = []
        if let floor, retention.maxBytes > 0 {
            var previous: Int?
            for segment in candidates.reversed() where segment >= floor {
                if let previous, segment != previous - 1 { break }
                if now - (keptSince[segment] ?? now) > retention.maxAge { break }
                let size = sizes[segment] ?? 0
                if keptBytes + size > retention.maxBytes { break }
                keptBytes += size
                keptSet.insert(segment)
                previous = segment
            }
        }
        kept = candidates.filter { keptSet.contains($0) }
        removed = candidates.filter { !keptSet.contains($0) }
        dropped = floor.map { floor in removed.filter { $0 >= floor } } ?? []
    }
}
