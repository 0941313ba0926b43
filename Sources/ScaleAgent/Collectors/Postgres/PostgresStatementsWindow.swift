/// pg_stat_statements between windows, ranked by the server. The agent keeps a few snapshots
/// of every statement's counters; each read sends the baseline — the newest snapshot at least a
/// window old — as arrays, and the server answers only with what differs from it: statements
/// whose counters moved (with the baseline position they had, and whether they rank in the top
/// K by the change of execution time or of calls, computed in SQL), the positions of those that
/// are gone, and how many it tracks. The agent rebuilds the current snapshot from the baseline
/// and that answer by position (no statement is hashed or decoded twice), so a server with
/// 2,000 statements of which 30 moved sends 30 rows, not 2,000.
///
/// Pure: the monitor sends `baseline(at:)`'s arrays with `PostgresStatementsSQL.changes`,
/// decodes the rows into an `Answer`, and feeds it to `advance`.
struct PostgresStatementsWindow: Sendable {
    /// Every statement's counters at one time, in the order the server was sent them.
    struct Snapshot: Sendable, Equatable {
        var time: ContinuousClock.Instant
        var keys: [PostgresStatementKey] = []
        var calls: [Int64] = []
        /// Total execution time in seconds.
        var seconds: [Double] = []

        var count: Int { keys.count }
    }

    /// One row of the server's answer.
    enum Row: Sendable, Equatable {
        /// A statement new since the baseline (`position` nil) or whose counters moved.
        case changed(position: Int?, key: PostgresStatementKey, calls: Int64, seconds: Double, top: Bool)
        /// The baseline's statement at `position` (1-based) is no longer tracked.
        case gone(position: Int)
        /// Statements tracked now.
        case entries(Int)
    }

    let window: Duration
    private(set) var snapshots: [Snapshot] = []

    init(window: Duration) {
        self.window = window
    }

    /// What the next read compares against: the newest snapshot at least a window old, else
    /// (shortly after start) the oldest; nil before the first read. Reads come once a window,
    /// on collections that start a few milliseconds early or late: within the cadence's
    /// tolerance a snapshot counts as a window old, so the baseline is the previous read and not
    /// the one before it.
    func baseline(at now: ContinuousClock.Instant) -> Snapshot? {
        snapshots.last { isWindowOld($0, at: now) } ?? snapshots.first
    }

    private func isWindowOld(_ snapshot: Snapshot, at now: ContinuousClock.Instant) -> Bool {
        now - snapshot.time + PostgresSectionCadence.tolerance >= window
    }

    /// The ranked statements of an answer to a read against `baseline`, with their rates over
    /// the time since it; keeps the current snapshot as a future baseline when the newest kept
    /// is half a window old. At most three snapshots are kept. Nil rates before a baseline
    /// exists (the first read only learns the counters).
    mutating func advance(
        _ answer: [Row], against baseline: Snapshot?, at now: ContinuousClock.Instant
    ) -> (entries: Int, elapsed: Double, ranked: [PostgresStatementsResult.Ranked])? {
        let current = Self.rebuild(baseline, with: answer, at: now)
        var entries = current.count
        var ranked: [PostgresStatementsResult.Ranked] = []
        let elapsed = baseline.map { (now - $0.time).seconds } ?? 0
        for row in answer {
            switch row {
            case .entries(let count): entries = count
            case .changed(let position, let key, let calls, let seconds, true) where elapsed > 0:
                var before: (calls: Int64, seconds: Double)?
                if let position, let baseline { before = (baseline.calls[position - 1], baseline.seconds[position - 1]) }
                let delta = Self.change(from: before, to: (calls, seconds))
                ranked.append(
                    .init(
                        key: key, rate: PostgresStatementRate(callsPerSecond: delta.calls / elapsed, execSecondsPerSecond: delta.seconds / elapsed),
                        totals: PostgresStatementCounters(calls: Double(calls), execSeconds: seconds)))
            default: break
            }
        }
        if snapshots.isEmpty || now - snapshots[snapshots.count - 1].time >= window / 2 {
            snapshots.append(current)
        }
        // Drop every snapshot older than the newest one that is already a full window old.
        if let keep = snapshots.lastIndex(where: { isWindowOld($0, at: now) }), keep > 0 {
            snapshots.removeFirst(keep)
        }
        guard baseline != nil, elapsed > 0 else { return nil }
        // Key order: the same statements keep the same series positions from window to window.
        ranked.sort { $0.key < $1.key }
        return (entries, elapsed, ranked)
    }

    /// The change over the window. A statement missing from the baseline is new (or was
    /// evicted and came back): all its counts fall in the window. Counts that went down mean a
    /// reset: the current counts are the change. The SQL ranks by the same rule.
    static func change(from before: (calls: Int64, seconds: Double)?, to now: (calls: Int64, seconds: Double)) -> (calls: Double, seconds: Double) {
        if let before, before.calls <= now.calls, before.seconds <= now.seconds {
            return (Double(now.calls - before.calls), now.seconds - before.seconds)
        }
        return (Double(now.calls), now.seconds)
    }

    /// The baseline with the answer applied: moved statements updated in place, gone ones
    /// removed, new ones appended.
    static func rebuild(_ baseline: Snapshot?, with answer: [Row], at now: ContinuousClock.Instant) -> Snapshot {
        var updated: [Int: (calls: Int64, seconds: Double)] = [:]
        var gone = Set<Int>()
        var current = Snapshot(time: now)
        var added: [(PostgresStatementKey, Int64, Double)] = []
        for row in answer {
            switch row {
            case .changed(let position?, _, let calls, let seconds, _): updated[position] = (calls, seconds)
            case .changed(nil, let key, let calls, let seconds, _): added.append((key, calls, seconds))
            case .gone(let position): gone.insert(position)
            case .entries: break
            }
        }
        if let baseline {
            current.keys.reserveCapacity(baseline.count + added.count)
            current.calls.reserveCapacity(baseline.count + added.count)
            current.seconds.reserveCapacity(baseline.count + added.count)
            for index in 0..<baseline.count where !gone.contains(index + 1) {
                let counters = updated[index + 1] ?? (baseline.calls[index], baseline.seconds[index])
                current.keys.append(baseline.keys[index])
                current.calls.append(counters.calls)
                current.seconds.append(counters.seconds)
            }
        }
        for (key, calls, seconds) in added {
            current.keys.append(key)
            current.calls.append(calls)
            current.seconds.append(seconds)
        }
        return current
    }
}
