@testable import AlertEngine
import Testing

@Suite struct DateFunctionsTests {
    struct Case: Sendable, CustomTestStringConvertible {
        let seconds: Double
        let note: String
        let year: Double, month: Double, dayOfMonth: Double, dayOfYear: Double, daysInMonth: Double
        let dayOfWeek: Double, hour: Double, minute: Double
        var testDescription: String { "\(seconds) (\(note))" }
    }

    /// functions.test's dates, plus month ends, century rules and times before 1970.
    static let cases: [Case] = [
        .init(seconds: 0, note: "epoch, a Thursday", year: 1970, month: 1, dayOfMonth: 1, dayOfYear: 1, daysInMonth: 31,
              dayOfWeek: 4, hour: 0, minute: 0),
        .init(seconds: 1136239445, note: "2006-01-02 22:04:05", year: 2006, month: 1, dayOfMonth: 2, dayOfYear: 2,
              daysInMonth: 31, dayOfWeek: 1, hour: 22, minute: 4),
        .init(seconds: 1230767999, note: "2008-12-31 23:59:59, before a leap second", year: 2008, month: 12,
              dayOfMonth: 31, dayOfYear: 366, daysInMonth: 31, dayOfWeek: 3, hour: 23, minute: 59),
        .init(seconds: 1230768000, note: "2009-01-01, after the leap second", year: 2009, month: 1, dayOfMonth: 1,
              dayOfYear: 1, daysInMonth: 31, dayOfWeek: 4, hour: 0, minute: 0),
        .init(seconds: 1456790399, note: "2016-02-29 23:59:59", year: 2016, month: 2, dayOfMonth: 29, dayOfYear: 60,
              daysInMonth: 29, dayOfWeek: 1, hour: 23, minute: 59),
        .init(seconds: 1456790400, note: "2016-03-01, after a leap day", year: 2016, month: 3, dayOfMonth: 1,
              dayOfYear: 61, daysInMonth: 31, dayOfWeek: 2, hour: 0, minute: 0),
        .init(seconds: 1483191420, note: "2016-12-31 13:37, day 366", year: 2016, month: 12, dayOfMonth: 31,
              dayOfYear: 366, daysInMonth: 31, dayOfWeek: 6, hour: 13, minute: 37),
        .init(seconds: 1672493820, note: "2022-12-31 13:37, day 365", year: 2022, month: 12, dayOfMonth: 31,
              dayOfYear: 365, daysInMonth: 31, dayOfWeek: 6, hour: 13, minute: 37),
        .init(seconds: 1454284800, note: "2016-02-01, leap February", year: 2016, month: 2, dayOfMonth: 1, dayOfYear: 32,
              daysInMonth: 29, dayOfWeek: 1, hour: 0, minute: 0),
        .init(seconds: 1485907200, note: "2017-02-01, common February", year: 2017, month: 2, dayOfMonth: 1,
              dayOfYear: 32, daysInMonth: 28, dayOfWeek: 3, hour: 0, minute: 0),
        .init(seconds: 951782400, note: "2000-02-29, leap by the 400 rule", year: 2000, month: 2, dayOfMonth: 29,
              dayOfYear: 60, daysInMonth: 29, dayOfWeek: 2, hour: 0, minute: 0),
        .init(seconds: -2206310400, note: "1900-02-01, not leap by the 100 rule", year: 1900, month: 2, dayOfMonth: 1,
              dayOfYear: 32, daysInMonth: 28, dayOfWeek: 4, hour: 0, minute: 0),
        .init(seconds: -1, note: "1969-12-31 23:59:59", year: 1969, month: 12, dayOfMonth: 31, dayOfYear: 365,
              daysInMonth: 31, dayOfWeek: 3, hour: 23, minute: 59),
        .init(seconds: -0.5, note: "truncated towards zero, so still the epoch", year: 1970, month: 1, dayOfMonth: 1,
              dayOfYear: 1, daysInMonth: 31, dayOfWeek: 4, hour: 0, minute: 0),
        .init(seconds: 1230767999.999, note: "fraction dropped", year: 2008, month: 12, dayOfMonth: 31, dayOfYear: 366,
              daysInMonth: 31, dayOfWeek: 3, hour: 23, minute: 59),
        .init(seconds: 253402300799, note: "9999-12-31 23:59:59", year: 9999, month: 12, dayOfMonth: 31, dayOfYear: 365,
              daysInMonth: 31, dayOfWeek: 5, hour: 23, minute: 59),
        .init(seconds: -62135596800, note: "0001-01-01", year: 1, month: 1, dayOfMonth: 1, dayOfYear: 1, daysInMonth: 31,
              dayOfWeek: 1, hour: 0, minute: 0),
        .init(seconds: -62135596801, note: "year 0, a leap year", year: 0, month: 12, dayOfMonth: 31, dayOfYear: 366,
              daysInMonth: 31, dayOfWeek: 0, hour: 23, minute: 59),
    ]

    @Test(arguments: cases)
    func dateParts(_ testCase: Case) {
        let seconds = testCase.seconds
        #expect(DateFunctions.year(seconds) == testCase.year)
        #expect(DateFunctions.month(seconds) == testCase.month)
        #expect(DateFunctions.dayOfMonth(seconds) == testCase.dayOfMonth)
        #expect(DateFunctions.dayOfYear(seconds) == testCase.dayOfYear)
        #expect(DateFunctions.daysInMonth(seconds) == testCase.daysInMonth)
        #expect(DateFunctions.dayOfWeek(seconds) == testCase.dayOfWeek)
        #expect(DateFunctions.hour(seconds) == testCase.hour)
        #expect(DateFunctions.minute(seconds) == testCase.minute)
    }

    @Test(arguments: [Double.nan, .infinity, -.infinity, 9.3e18, -9.3e18])
    func notRepresentableTimesGiveNaN(seconds: Double) {
        #expect(DateFunctions.year(seconds).isNaN)
        #expect(DateFunctions.minute(seconds).isNaN)
        #expect(DateFunctions.daysInMonth(seconds).isNaN)
    }

    @Test func theWholeInt64RangeIsUsable() {
        // Int64.min seconds is some 292 billion years back; it must not trap.
        #expect(DateFunctions.year(-9.223372036854775808e18) < -292_000_000_000)
        #expect(DateFunctions.month(9.2e18) >= 1)
    }

    @Test func everyMonthEndOf2024() {
        // 2024-01-31 23:59:59 UTC, then each following month end.
        var seconds = 1706745599.0
        let lengths: [Double] = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
        for (index, length) in lengths.enumerated() {
            #expect(DateFunctions.month(seconds) == Double(index + 1))
            #expect(DateFunctions.dayOfMonth(seconds) == length)
            #expect(DateFunctions.daysInMonth(seconds) == length)
            #expect(DateFunctions.month(seconds + 1) == Double((index + 1) % 12 + 1))
            #expect(DateFunctions.dayOfMonth(seconds + 1) == 1)
            seconds += (index + 1 < lengths.count ? lengths[index + 1] : 31) * 86400
        }
    }
}
