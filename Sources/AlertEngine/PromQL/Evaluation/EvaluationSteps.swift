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

    init(start: Int64, end: Int64, interval: Int64) {
        self.init(start: start, interval: interval, count: end < start ? 0 : Int((end - start) / interval) + 1)
    }

    var end: Int64 { start + Int64(count - 1) * interval }

    @inline(__always)
    func time(_ step: Int) -> Int64 { start + Int64(step) * interval }
}
