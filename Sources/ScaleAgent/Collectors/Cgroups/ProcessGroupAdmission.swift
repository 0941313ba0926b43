/// Which process groups `top_processes` may report, so that its series over any hour are
/// bounded however the host's commands and units churn: at most `limit` distinct groups
/// (`comm`, `unit`) are reported within any `window`. Grouping alone removes pid churn, but
/// units churn too (`session-N.scope` per login, `docker-<id>.scope` per container, `run-u…`
/// per systemd-run), and so do commands that rename themselves per task.
///
/// A group reported within the last `window` is known and always admitted again; a new
/// group is admitted while fewer than `limit` are known; a group falls out of the known set
/// `window` after it was last reported. So the set of groups reported in any window of that
/// length is the known set at its end, never larger than `limit`.
///
/// Pure: the time is passed in, so the bound is tested without waiting an hour.
struct ProcessGroupAdmission {
    let limit: Int
    let window: Duration
    /// Known groups and when each was last reported.
    private(set) var lastReported: [ProcessGroup.Key: Duration] = [:]

    init(limit: Int, window: Duration = .seconds(3600)) {
        self.limit = limit
        self.window = window
    }

    /// Up to `count` of `ranked` (largest first), skipping groups that are new while the
    /// known set is full; `refused` counts those skipped groups that would have been reported.
    mutating func admit(_ ranked: [ProcessGroup], count: Int, now: Duration) -> (kept: [ProcessGroup], refused: Int) {
        lastReported = lastReported.filter { now - $0.value < window }
        var kept: [ProcessGroup] = []
        var refused = 0
        for group in ranked {
            guard kept.count < count else { break }
            guard lastReported[group.key] != nil || lastReported.count < limit else {
                refused += 1
                continue
            }
            lastReported[group.key] = now
            kept.append(group)
        }
        return (kept, refused)
    }
}
