/// A chart's horizontal axis in UTC, whatever the zone of the host or of the reader: ticks at
/// round intervals (every 10 minutes, every 6 hours, at midnight) and their labels.
struct TimeAxis: Equatable {
    /// Unix milliseconds of each tick.
    var ticks: [Int64]
    var labels: [String]

    private static let steps: [Int64] = [
        1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10_800, 21_600, 43_200, 86_400, 172_800, 604_800,
        1_209_600, 2_592_000, 7_776_000, 31_536_000,
    ].map { $0 * 1000 }

    /// The ticks between `start` and `end` (Unix milliseconds), at most `maxTicks` of them.
    init(start: Int64, end: Int64, maxTicks: Int) {
        let (difference, overflow) = end.subtractingReportingOverflow(start)
        let span = overflow ? Int64.max : max(1, difference)
        let step = Self.steps.first { span / $0 < Int64(max(1, maxTicks)) } ?? Self.steps[Self.steps.count - 1]
        var ticks: [Int64] = []
        // Overflow-checked: a caller may ask for the far ends of Int64's range.
        var (tick, pastEnd) = start.quotientRoundingUp(step).multipliedReportingOverflow(by: step)
        while !pastEnd && tick <= end && ticks.count < 100 {
            ticks.append(tick)
            (tick, pastEnd) = tick.addingReportingOverflow(step)
        }
        self.ticks = ticks
        labels = ticks.map { time in
            let date = UTCDate(milliseconds: time)
            if step >= 86_400_000 { return date.monthDay }
            if step < 60_000 { return date.hourMinuteSecond }
            // Ranges over a day name the day at midnight, and only there.
            return span > 86_400_000 && date.isMidnight ? date.monthDay : date.hourMinute
        }
    }
}

extension Int64 {
    fileprivate func quotientRoundingUp(_ divisor: Int64) -> Int64 {
        let (quotient, remainder) = quotientAndRemainder(dividingBy: divisor)
        return remainder > 0 ? quotient + 1 : quotient
    }
}
