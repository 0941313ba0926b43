import Testing

@testable import AlertEngine

struct CivilCalendarTests {
    typealias Date = CivilCalendar.Date

    static let known: [(Int64, Date)] = [
        (0, Date(year: 1970, month: 1, day: 1)), (-1, Date(year: 1969, month: 12, day: 31)),
        (11_016, Date(year: 2000, month: 2, day: 29)), (11_017, Date(year: 2000, month: 3, day: 1)),
        (-25_508, Date(year: 1900, month: 3, day: 1)), (-719_468, Date(year: 0, month: 3, day: 1)),
        (-719_529, Date(year: -1, month: 12, day: 31)), (2_932_896, Date(year: 9999, month: 12, day: 31)),
        (20_423, Date(year: 2025, month: 12, day: 1)),
    ]

    @Test(arguments: known)
    func knownDays(days: Int64, date: Date) {
        #expect(CivilCalendar.date(daysSinceEpoch: days) == date)
        #expect(CivilCalendar.daysSinceEpoch(date) == days)
    }

    @Test func everyDayOfTwelveHundredYearsRoundTripsInOrder() {
        var previous = CivilCalendar.date(daysSinceEpoch: -300_000)
        for days in Int64(-299_999)...Int64(150_000) {
            let date = CivilCalendar.date(daysSinceEpoch: days)
            #expect(CivilCalendar.daysSinceEpoch(date) == days)
            let nextDay = previous.day < CivilCalendar.daysIn(month: previous.month, year: previous.year)
                ? Date(year: previous.year, month: previous.month, day: previous.day + 1)
                : previous.month < 12 ? Date(year: previous.year, month: previous.month + 1, day: 1) : Date(year: previous.year + 1, month: 1, day: 1)
            if date != nextDay {
                Issue.record("day \(days): \(date), expected \(nextDay)")
                return
            }
            previous = date
        }
    }

    @Test func theExtremesOfInt64SecondsDoNotOverflow() {
        for seconds in [Int64.min, Int64.max] {
            let (days, secondOfDay) = CivilCalendar.split(unixSeconds: seconds)
            #expect((0..<86_400).contains(secondOfDay))
            #expect(CivilCalendar.daysSinceEpoch(CivilCalendar.date(daysSinceEpoch: days)) == days)
        }
    }

    @Test(arguments: [(Int64(-1), Int64(-1), Int64(86_399)), (0, 0, 0), (86_400, 1, 0), (-86_401, -2, 86_399)])
    func splitsBefore1970TowardMinusInfinity(seconds: Int64, days: Int64, secondOfDay: Int64) {
        #expect(CivilCalendar.split(unixSeconds: seconds) == (days, secondOfDay))
    }

    @Test func weekdaysAndLeapYears() {
        #expect(CivilCalendar.weekday(daysSinceEpoch: 0) == 4)
        #expect(CivilCalendar.weekday(daysSinceEpoch: -4) == 0)
        #expect([1900, 2000, 2024, 2100].map { CivilCalendar.isLeap($0) } == [false, true, true, false])
        #expect(CivilCalendar.daysIn(month: 2, year: 2024) == 29)
        #expect(CivilCalendar.daysIn(month: 4, year: 2023) == 30)
    }
}
