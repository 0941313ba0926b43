/// Counts entries per unit with at most `limit` units as series of their own and the rest as
/// `other`, so that transient units (`run-u123.service`, `session-42.scope`) cannot grow the
/// series count without bound.
///
/// Every entry is counted exactly once, in the series that was selected when it was read, so
/// every series only grows. The selection starts first come, first served; after each window of
/// `window` entries, a unit that logged more than twice as much in that window as the quietest
/// selected unit takes its place (the quietest's series ends; the newcomer's starts at 0). The
/// window tally holds at most `4 × limit + 64` units.
struct TopUnitCounter: Sendable, Equatable {
    static let other = "other"

    let limit: Int
    let window: Int
    private(set) var selected: [String: Double] = [:]
    private(set) var other: Double = 0
    private var volume: [String: Int] = [:]
    private var seenInWindow = 0

    init(limit: Int, window: Int = 10_000) {
        self.limit = max(0, limit)
        self.window = max(1, window)
    }

    mutating func add(_ unit: String) {
        // One hash per table on this per-entry path.
        if let index = selected.index(forKey: unit) {
            selected.values[index] += 1
        } else if selected.count < limit {
            selected[unit] = 1
        } else {
            other += 1
        }
        if volume.count < 4 * limit + 64 {
            volume[unit, default: 0] += 1
        } else if let index = volume.index(forKey: unit) {
            volume.values[index] += 1
        }
        seenInWindow += 1
        if seenInWindow >= window { rebalance() }
    }

    private mutating func rebalance() {
        var candidates = volume.filter { selected[$0.key] == nil }.sorted { ($0.value, $1.key) > ($1.value, $0.key) }[...]
        var incumbents = selected.keys.map { ($0, volume[$0] ?? 0) }.sorted { ($0.1, $1.0) < ($1.1, $0.0) }[...]
        while let challenger = candidates.first, let weakest = incumbents.first, challenger.value > 2 * weakest.1 {
            selected[weakest.0] = nil
            selected[challenger.key] = 0
            candidates = candidates.dropFirst()
            incumbents = incumbents.dropFirst()
        }
        volume.removeAll(keepingCapacity: true)
        seenInWindow = 0
    }
}

/// A counter family with a bounded number of label sets: once `limit` keys exist, new keys
/// are counted under `overflow`.
struct CappedCounts<Key: Hashable & Sendable>: Sendable, Equatable {
    let limit: Int
    private(set) var counts: [Key: Double] = [:]

    init(limit: Int) { self.limit = limit }

    mutating func add(_ key: Key, overflow: Key) {
        if counts[key] != nil || counts.count < limit {
            counts[key, default: 0] += 1
        } else {
            counts[overflow, default: 0] += 1
        }
    }
}
