import Foundation
import Testing

@testable import ScaleAgent

@Suite struct CronExpressionTests {
    /// `yyyy-MM-dd HH:mm[:ss]` in UTC as Unix seconds.
    static func utc(_ text: String) -> Int64 {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = text.count > 16 ? "yyyy-MM-dd HH:mm:ss" : "yyyy-MM-dd HH:mm"
        return Int64(formatter.date(from: text)!.timeIntervalSince1970)
    }

    @Test(arguments: [
        // expression, after, next (UTC)
        ("*/15 * * * *", "2026-01-01 00:00", "2026-01-01 00:15"),
        ("*/15 * * * *", "2026-01-01 00:14:59", "2026-01-01 00:15"),
        ("*/15 * * * *", "2026-01-01 00:59", "2026-01-01 01:00"),
        ("* * * * *", "2026-01-01 00:00:30", "2026-01-01 00:01"),
        ("30 2 * * *", "2026-03-31 02:30", "2026-04-01 02:30"),
        ("30 2 * * *", "2026-03-31 02:29:59", "2026-03-31 02:30"),
        ("0 0 31 * *", "2026-04-01 00:00", "2026-05-31 00:00"),
        ("0 0 29 2 *", "2026-01-01 00:00", "2028-02-29 00:00"),
        ("0 0 29 2 *", "2096-03-01 00:00", "2104-02-29 00:00"),
        ("59 23 31 12 *", "2026-12-31 23:59", "2027-12-31 23:59"),
        ("0 0 1 * *", "2026-12-15 00:00", "2027-01-01 00:00"),
        ("0 9 * * 1-5", "2026-01-02 10:00", "2026-01-05 09:00"),
        ("0 9 * * MON-FRI", "2026-01-02 10:00", "2026-01-05 09:00"),
        ("0 9 * * mon-fri", "2026-01-03 10:00", "2026-01-05 09:00"),
        ("0 0 * * 7", "2026-01-01 00:00", "2026-01-04 00:00"),
        ("0 0 * * 0", "2026-01-01 00:00", "2026-01-04 00:00"),
        ("0 0 * * SUN", "2026-01-01 00:00", "2026-01-04 00:00"),
        ("0 0 * * 5-7", "2026-01-03 00:00", "2026-01-04 00:00"),
        // Both day fields restricted: either matches.
        ("0 0 1,15 * MON", "2026-01-01 00:00", "2026-01-05 00:00"),
        ("0 0 1,15 * MON", "2026-01-12 00:00", "2026-01-15 00:00"),
        // A day field starting with * restricts together with the other.
        ("0 0 */10 * MON", "2026-01-01 00:00", "2026-05-11 00:00"),
        ("0 0 * * MON", "2026-01-01 00:00", "2026-01-05 00:00"),
        ("0 12 * JAN,jul *", "2026-02-01 00:00", "2026-07-01 12:00"),
        ("0 12 1 6-8/2 *", "2026-07-01 00:00", "2026-08-01 12:00"),
        ("5-10/2 * * * *", "2026-01-01 00:06", "2026-01-01 00:07"),
        ("5-10/2 * * * *", "2026-01-01 00:09", "2026-01-01 01:05"),
        ("10/20 * * * *", "2026-01-01 00:11", "2026-01-01 00:30"),
        ("0 22-23,0-1 * * *", "2026-01-01 02:00", "2026-01-01 22:00"),
        ("@hourly", "2026-01-01 00:30", "2026-01-01 01:00"),
        ("@daily", "2026-01-01 00:30", "2026-01-02 00:00"),
        ("@midnight", "2026-01-01 00:30", "2026-01-02 00:00"),
        ("@weekly", "2026-01-01 00:30", "2026-01-04 00:00"),
        ("@monthly", "2026-01-01 00:30", "2026-02-01 00:00"),
        ("@yearly", "2026-01-01 00:30", "2027-01-01 00:00"),
        ("@ANNUALLY", "2026-01-01 00:30", "2027-01-01 00:00"),
        ("  0\t3  * * *  ", "2026-01-01 00:30", "2026-01-01 03:00"),
    ])
    func nextRunInUTC(_ expression: String, _ after: String, _ next: String) throws {
        let cron = try CronExpression.parse(expression)
        #expect(cron.next(after: Self.utc(after), in: TimeZone(identifier: "UTC")!) == Self.utc(next))
    }

    @Test(arguments: [
        // Winter: Berlin is UTC+1.
        ("30 2 * * *", "2026-01-01 00:00", "2026-01-01 01:30"),
        // 2026-03-29 02:30 does not exist in Berlin (02:00 → 03:00): that day is skipped.
        ("30 2 * * *", "2026-03-28 02:00", "2026-03-30 00:30"),
        // 2026-10-25 02:30 happens twice (03:00 → 02:00): the first one (still UTC+2).
        ("30 2 * * *", "2026-10-24 12:00", "2026-10-25 00:30"),
        ("0 * * * *", "2026-03-29 00:30", "2026-03-29 01:00"),
    ])
    func nextRunInATimeZoneWithDST(_ expression: String, _ after: String, _ next: String) throws {
        let cron = try CronExpression.parse(expression)
        #expect(cron.next(after: Self.utc(after), in: TimeZone(identifier: "Europe/Berlin")!) == Self.utc(next))
    }

    @Test(arguments: [
        ("", "column 1: expected 5 fields (minute hour day-of-month month day-of-week), got 0"),
        ("* * * *", "column 8: expected 5 fields (minute hour day-of-month month day-of-week), got 4"),
        ("* * * * * /bin/backup", "column 11: expected 5 fields (minute hour day-of-month month day-of-week), got 6"),
        ("60 * * * *", "minute field, column 1: expected a number 0-59, got 60"),
        ("* 24 * * *", "hour field, column 3: expected a number 0-23, got 24"),
        ("* * 0 * *", "day-of-month field, column 5: expected a number 1-31, got 0"),
        ("* * * 13 *", "month field, column 7: expected a number 1-12 or a name JAN-DEC, got 13"),
        ("* * * * 8", "day-of-week field, column 9: expected a number 0-7 or a name SUN-SAT, got 8"),
        ("* * * FOO *", "month field, column 7: expected a number 1-12 or a name JAN-DEC, got 'FOO'"),
        ("* * * * MON-FOO", "day-of-week field, column 13: expected a number 0-7 or a name SUN-SAT, got 'FOO'"),
        ("* * * MON *", "month field, column 7: expected a number 1-12 or a name JAN-DEC, got 'MON'"),
        ("* * JAN * *", "day-of-month field, column 5: expected a number 1-31, got 'JAN'"),
        ("1,,2 * * * *", "minute field, column 3: expected a number 0-59 or *, got nothing"),
        ("5- * * * *", "minute field, column 3: expected a number 0-59, got ''"),
        ("-5 * * * *", "minute field, column 1: expected a number 0-59, got ''"),
        ("*/0 * * * *", "minute field, column 3: expected a step 1-60 after /, got '0'"),
        ("*/ * * * *", "minute field, column 3: expected a step 1-60 after /, got ''"),
        ("*/x * * * *", "minute field, column 3: expected a step 1-60 after /, got 'x'"),
        ("* */25 * * *", "hour field, column 5: expected a step 1-24 after /, got '25'"),
        ("30-10 * * * *", "minute field, column 1: expected a range whose start is not after its end, got 30-10"),
        ("0 0 31 2 *", "day-of-month field, column 5: expected a day that exists in one of the months, got '31'"),
        ("0 0 30,31 2 *", "day-of-month field, column 5: expected a day that exists in one of the months, got '30,31'"),
        ("99999 * * * *", "minute field, column 1: expected a number 0-59, got 99999"),
        ("@reboot", "column 1: expected one of @yearly, @annually, @monthly, @weekly, @daily, @midnight, @hourly, got '@reboot'"),
        ("1.5 * * * *", "minute field, column 1: expected a number 0-59, got '1.5'"),
        ("+5 * * * *", "minute field, column 1: expected a number 0-59, got '+5'"),
    ])
    func refusesWithFieldColumnAndExpectation(_ expression: String, _ expected: String) {
        let error = #expect(throws: CronError.self) { try CronExpression.parse(expression) }
        #expect(error?.description == expected)
    }

    @Test func refusesAnOverlongExpression() {
        let error = #expect(throws: CronError.self) { try CronExpression.parse(String(repeating: "1,", count: 600) + "1 * * * *") }
        #expect(error?.description == "column 1001: expected at most 1000 characters")
    }

    @Test func aRestrictedDayOfWeekRescuesAnImpossibleDayOfMonth() throws {
        // Cron's OR: the 31st of February never comes, but Mondays in February do.
        let cron = try CronExpression.parse("0 0 31 2 MON")
        #expect(cron.next(after: Self.utc("2026-01-01 00:00"), in: TimeZone(identifier: "UTC")!) == Self.utc("2026-02-02 00:00"))
    }
}
