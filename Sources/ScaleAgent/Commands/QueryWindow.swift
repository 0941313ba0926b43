/// The time range of a range query from the command line: `--since 1h` (up to now), or
/// `--start` and `--end` (either may be left to `--since` or to now), and `--step`, which by
/// default gives about 240 points: enough for a chart as wide as a terminal, few enough to read.
public struct QueryWindow: Sendable, Equatable {
    public var start: Int64
    public var end: Int64
    public var step: Int64

    public init(start: Int64, end: Int64, step: Int64) {
        self.start = start
        self.end = end
        self.step = step
    }

    public struct Invalid: Error, CustomStringConvertible {
        public let description: String
    }

    /// Points a range gets when no `--step` is given.
    public static let defaultPoints: Int64 = 240

    /// All times in Unix milliseconds; `since` and `step` as durations in milliseconds.
    public static func resolve(since: Int64?, start: Int64?, end: Int64?, step: Int64?, now: Int64) throws(Invalid) -> QueryWindow {
        if since != nil && start != nil {
            throw Invalid(description: "--since counts back from --end (or now); it cannot be given with --start")
        }
        if let since, since <= 0 { throw Invalid(description: "--since: expected a positive duration such as 1h") }
        if let step, step <= 0 { throw Invalid(description: "--step: expected a positive duration such as 15s or 1m") }
        let end = end ?? now
        let back = end.subtractingReportingOverflow(since ?? 3_600_000)
        if start == nil && back.overflow { throw Invalid(description: "--since reaches before the earliest time there is") }
        let start = start ?? back.partialValue
        guard start <= end else { throw Invalid(description: "--end must not be before --start") }
        return QueryWindow(start: start, end: end, step: step ?? defaultStep(end - start))
    }

    /// range / 240 rounded up to a whole second, at least one second.
    static func defaultStep(_ range: Int64) -> Int64 {
        let raw = range / defaultPoints
        return max(1_000, (raw + 999) / 1_000 * 1_000)
    }
}
