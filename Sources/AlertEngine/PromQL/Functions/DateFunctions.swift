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
            let daysBefore = (1..<time.month).reduce(0) { $0 + daysIn(month: $1, year: time.year) }
            return Double(daysBefore + time.day)
        } ?? .nan
    }

    static func daysInMonth(_ seconds: Double) -> Double {
        civilTime(seconds).map { Double(daysIn(month: $0.month, year: $0.year)) } ?? .nan
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

    /// The UTC calendar date and time of day of a Unix time, by the days-to-civil algorithm
    /// of Howard Hinnant (proleptic Gregorian calendar, eras of 400 years).
    static func civilTime(_ seconds: Double) -> CivilTime? {
        // -2^63 is exact in Double; +2^63 already overflows Int64.
        guard seconds.isFinite, seconds >= -9.223372036854775808e18, seconds < 9.223372036854775808e18 else {
            return nil
        }
        let unixSeconds = Int64(seconds)
        let (days, secondOfDay) = floorDivision(unixSeconds, by: 86400)
        // 1970-01-01 was a Thursday.
        let weekday = floorDivision(days + 4, by: 7).remainder

        // Count from 0000-03-01 so that the leap day ends each year.
        let shifted = days + 719_468
        let era = floorDivision(shifted, by: 146_097).quotient
        let dayOfEra = shifted - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        let dayOfYearFromMarch = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthFromMarch = (5 * dayOfYearFromMarch + 2) / 153
        let day = dayOfYearFromMarch - (153 * monthFromMarch + 2) / 5 + 1
        let month = monthFromMarch < 10 ? monthFromMarch + 3 : monthFromMarch - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        return CivilTime(year: year, month: month, day: day, weekday: weekday, secondOfDay: secondOfDay)
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

    private static func floorDivision(_ value: Int64, by divisor: Int64) -> (quotient: Int64, remainder: Int64) {
        var quotient = value / divisor
        var remainder = value % divisor
        if remainder < 0 {
            quotient -= 1
            remainder += divisor
        }
        return (quotient, remainder)
    }
}
