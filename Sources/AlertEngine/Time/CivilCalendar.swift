/// The proleptic Gregorian calendar in UTC, as Go's `time` package and PromQL's date
/// functions use it: the one conversion between Unix time and year, month and day, for
/// RFC 3339 times, the date functions and the templates' time formatting.
///
/// Howard Hinnant's `days_from_civil` and `civil_from_days`: years are counted from March,
/// so the leap day ends a year and a day's place in its year does not depend on leap years;
/// eras of 400 years (146,097 days) make the arithmetic exact for any Int64 day count that
/// a Double of seconds can name.
public enum CivilCalendar {
    public struct Date: Equatable, Sendable {
        public var year: Int64
        /// 1...12
        public var month: Int64
        /// 1...31
        public var day: Int64
    }

    static let secondsPerDay: Int64 = 86_400

    /// Days from 1970-01-01.
    static func daysSinceEpoch(_ date: Date) -> Int64 {
        let marchYear = date.month <= 2 ? date.year - 1 : date.year
        let era = floorDivision(marchYear, by: 400).quotient
        let yearOfEra = marchYear - era * 400
        let monthFromMarch = (date.month + 9) % 12
        let dayOfYear = (153 * monthFromMarch + 2) / 5 + date.day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// The date `days` after 1970-01-01.
    public static func date(daysSinceEpoch days: Int64) -> Date {
        let shifted = days + 719_468
        let era = floorDivision(shifted, by: 146_097).quotient
        let dayOfEra = shifted - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        let dayOfYearFromMarch = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthFromMarch = (5 * dayOfYearFromMarch + 2) / 153
        let day = dayOfYearFromMarch - (153 * monthFromMarch + 2) / 5 + 1
        let month = monthFromMarch < 10 ? monthFromMarch + 3 : monthFromMarch - 9
        return Date(year: yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month: month, day: day)
    }

    /// The day since 1970-01-01 and the second within it (0..<86400), also before 1970.
    static func split(unixSeconds: Int64) -> (days: Int64, secondOfDay: Int64) {
        let (days, secondOfDay) = floorDivision(unixSeconds, by: secondsPerDay)
        return (days, secondOfDay)
    }

    /// 0 is Sunday, as Go's `time.Weekday` and PromQL's `day_of_week`; 1970-01-01 was a Thursday.
    public static func weekday(daysSinceEpoch days: Int64) -> Int64 {
        floorDivision(days + 4, by: 7).remainder
    }

    static func daysIn(month: Int64, year: Int64) -> Int64 {
        switch month {
        case 2: return isLeap(year) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    static func isLeap(_ year: Int64) -> Bool {
        year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
    }

    /// Division rounding toward minus infinity, with a remainder in 0..<divisor.
    public static func floorDivision(_ value: Int64, by divisor: Int64) -> (quotient: Int64, remainder: Int64) {
        var (quotient, remainder) = value.quotientAndRemainder(dividingBy: divisor)
        if remainder < 0 {
            quotient -= 1
            remainder += divisor
        }
        return (quotient, remainder)
    }
}
