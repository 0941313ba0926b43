import Foundation

/// When a check-in job is expected to run: at the times of a cron expression in a time zone,
/// or once per fixed period counted from its last success.
public enum CheckInSchedule: Sendable, Equatable {
    case cron(CronExpression, TimeZone)
    /// Seconds between runs.
    case period(Int64)

    /// The next expected run after `time` (Unix seconds); nil for a cron expression that does
    /// not fire in the years `CronExpression.next` searches.
    func nextRun(after time: Double) -> Double? {
        switch self {
        case .cron(let expression, let timeZone):
            let whole = Int64(time.rounded(.down))
            return expression.next(after: whole, in: timeZone).map(Double.init)
        case .period(let seconds):
            return time + Double(seconds)
        }
    }
}
