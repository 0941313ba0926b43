/// The stretch of history `scalewatch advise` reads: `--since` back from now, sampled at a
/// step that gives about 240 points, enough to date a change to the minute in an hour and to
/// fit a trend over a day, few enough to read every key series in one query each.
public struct AdviseWindow: Sendable, Equatable {
    /// Unix milliseconds.
    public var start: Int64
    public var end: Int64
    public var step: Int64

    public init(start: Int64, end: Int64, step: Int64) {
        self.start = start
        self.end = end
        self.step = step
    }

    /// `since` back from `end`, at the default step (at least 15 s, a collection interval).
    public init(since: Int64, end: Int64) {
        self.init(start: end - since, end: end, step: max(15_000, QueryWindow.defaultStep(since)))
    }

    public var seconds: Double { Double(end - start) / 1000 }

    /// The window as PromQL writes a range: `86400s`.
    public var rangeText: String { "\(max(1, (end - start) / 1000))s" }
}
