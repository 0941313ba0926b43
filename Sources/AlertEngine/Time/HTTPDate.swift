/// HTTP's date format (RFC 9110 IMF-fixdate, `Sun, 06 Nov 1994 08:49:37 GMT`), as a
/// `Retry-After` header may carry it. Only the format senders must generate; the obsolete
/// RFC 850 and asctime forms are refused (nil), which a caller treats as no date.
public enum HTTPDate {
    static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    /// Unix seconds, or nil when `text` is not an IMF-fixdate.
    public static func unixSeconds(_ text: String) -> Int64? {
        let parts = text.split(separator: " ", omittingEmptySubsequences: false)
        guard parts.count == 6, parts[0].count == 4, parts[0].hasSuffix(","), parts[5] == "GMT",
            parts[1].count == 2, let day = Int64(parts[1]), (1...31).contains(day),
            let monthIndex = months.firstIndex(of: String(parts[2])),
            parts[3].count == 4, let year = Int64(parts[3])
        else { return nil }
        let clock = parts[4].split(separator: ":", omittingEmptySubsequences: false)
        guard clock.count == 3, clock.allSatisfy({ $0.count == 2 }),
            let hour = Int64(clock[0]), let minute = Int64(clock[1]), let second = Int64(clock[2]),
            hour < 24, minute < 60, second < 61
        else { return nil }
        let days = CivilCalendar.daysSinceEpoch(CivilCalendar.Date(year: year, month: Int64(monthIndex + 1), day: day))
        return days * CivilCalendar.secondsPerDay + hour * 3600 + minute * 60 + second
    }
}
