/// A Unix time's calendar date and time of day in UTC, computed without the C library's time
/// zone (so a page looks the same on every host): Howard Hinnant's `civil_from_days`.
struct UTCDate: Equatable {
    var year: Int64
    var month: Int64
    var day: Int64
    var hour: Int64
    var minute: Int64
    var second: Int64

    init(milliseconds: Int64) {
        let seconds = milliseconds.quotientFlooring(1000)
        let days = seconds.quotientFlooring(86_400)
        let ofDay = seconds - days * 86_400
        (hour, minute, second) = (ofDay / 3600, ofDay % 3600 / 60, ofDay % 60)
        let shifted = days + 719_468
        let era = shifted.quotientFlooring(146_097)
        let dayOfEra = shifted - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
    }

    var isMidnight: Bool { hour == 0 && minute == 0 && second == 0 }
    var hourMinute: String { Self.two(hour) + ":" + Self.two(minute) }
    var hourMinuteSecond: String { hourMinute + ":" + Self.two(second) }
    var monthDay: String { Self.two(month) + "-" + Self.two(day) }
    /// `2023-11-14 22:13:20 UTC`.
    var text: String { "\(year)-\(monthDay) \(hourMinuteSecond) UTC" }

    private static func two(_ value: Int64) -> String { value < 10 ? "0\(value)" : "\(value)" }
}

extension Int64 {
    fileprivate func quotientFlooring(_ divisor: Int64) -> Int64 {
        let (quotient, remainder) = quotientAndRemainder(dividingBy: divisor)
        return remainder < 0 ? quotient - 1 : quotient
    }
}
