/// Whether a time window — a range selector's `[5m]`, the lookback of an instant selector,
/// a subquery's range — includes a sample exactly at its start.
///
/// Prometheus 3 made every such window left-open, `(t - range, t]`; Prometheus 2 selected
/// `[t - range, t]`. The two disagree whenever samples sit on the window edge, as they do in
/// rule unit tests with `load 1m` series: `count_over_time(x[5m])` is 5 in one and 6 in the other.
public enum WindowStart: Sendable, Hashable {
    /// Prometheus 3: `(t - range, t]`.
    case excluded
    /// Prometheus 2: `[t - range, t]`.
    case included

    /// The oldest timestamp a window opening at `start` selects.
    @inline(__always)
    func firstIncludedTimestamp(after start: Int64) -> Int64 {
        self == .excluded && start < .max ? start + 1 : start
    }
}
