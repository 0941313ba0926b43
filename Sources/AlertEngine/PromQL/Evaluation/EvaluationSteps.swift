/// The timestamps (ms) one evaluation produces values for: `count` steps from `start`,
/// `interval` apart. An instant query is one step; a subquery gets steps of its own.
struct EvaluationSteps: Sendable {
    let start: Int64
    let interval: Int64
    let count: Int

    init(start: Int64, interval: Int64, count: Int) {
        self.start = start
        self.interval = interval
        self.count = count
    }

    /// Prometheus refuses range queries with more points per series than this.
    static let maxRangeQueryPoints = 11_000

    /// Steps from `start` through `end`; the caller has checked the count with `count(...)`.
    init(start: Int64, end: Int64, interval: Int64) {
        self.init(start: start, interval: interval, count: Int(Self.count(from: start, through: end, interval: interval)))
    }

    /// How many steps `init(start:end:interval:)` would make, without overflow for any times
    /// and any positive interval, so that a caller can refuse an absurd grid before
    /// allocating it.
    static func count(from start: Int64, through end: Int64, interval: Int64) -> UInt64 {
        guard end >= start, interval > 0 else { return 0 }
        let (count, overflow) = (UInt64(bitPattern: end &- start) / UInt64(interval)).addingReportingOverflow(1)
        return overflow ? .max : count
    }

    var end: Int64 { start + Int64(count - 1) * interval }

    @inline(__always)
    func time(_ step: Int) -> Int64 { start + Int64(step) * interval }
}
