/// `minute`, `hour`, `day_of_week`, `day_of_month`, `day_of_year`, `days_in_month`, `month`
/// and `year` of a Unix time in seconds, in UTC. The fraction is truncated towards zero, as
/// Go's `int64(v)` does; leap seconds do not exist in Unix time. NaN, ±Inf and values outside
/// the Int64 range give NaN (Prometheus would read them as some arbitrary date).
enum DateFunctions {
    static func minute(_ seconds: Double) -> Double {
        civilTime(seconds).map { Double($0.secondOfDay / 60 % 60) } ?? .nan
    }

    static func hour(_ seconds: Double) -> Double {
        civilTime(seconds).map { Double($0.secondOfDay / 3600) } ?? .nan
    }

    /// 0 for Sunday through 6 for Saturday.
    static func dayOfWeek(_ seconds: Double) -> Double {
        civilTime(seconds).map { Double($0.weekday) } ?? .nan
    }

    static func dayOfMonth(_ seconds: Double) -> Double {
        civilTime(seconds).map { Double($0.day) } ?? .nan
    }

    /// 1 to 365, or 366 in leap years.
    static func dayOfYear(_ seconds: Double) -> Double {
        civilTime(seconds).map { time in
            let daysBefore = (1..<time.month).reduce(0) { $0 + CivilCalendar.daysIn(month: $1, year: time.year) }
            return Double(daysBefore + time.day)
        } ?? .nan
    }

    static func daysInMonth(_ seconds: Double) -> Double {
        civilTime(seconds).map { Double(CivilCalendar.daysIn(month: $0.month, year: $0.year)) } ?? .nan
    }

    /// 1 for January through 12.
    static func month(_ seconds: Double) -> Double {
        civilTime(seconds).map { Double($0.month) } ?? .nan
    }

    static func year(_ seconds: Double) -> Double {
        civilTime(seconds).map { Double($0.year) } ?? .nan
    }

    struct CivilTime: Equatable {
        var year: Int64
        var month: Int64
        var day: Int64
        var weekday: Int64
        var secondOfDay: Int64
    }

    /// The UTC calendar date and time of day of a Unix time.
    static func civilTime(_ seconds: Double) -> CivilTime? {
        // -2^63 is exact in Double; +2^63 already overflows Int64.
        guard seconds.isFinite, seconds >= -9.223372036854775808e18, seconds < 9.223372036854775808e18 else {
            return nil
        }
        let (days, secondOfDay) = CivilCalendar.split(unixSeconds: Int64(seconds))
        let date = CivilCalendar.date(daysSinceEpoch: days)
        return CivilTime(
            year: date.year, month: date.month, day: date.day, weekday: CivilCalendar.weekday(daysSinceEpoch: days), secondOfDay: secondOfDay)
    }
}
