/// Go's `time.Time.String()` for a UTC instant: "2006-01-02 15:04:05.999999999 +0000 UTC",
/// the fraction without trailing zeros and left out when zero.
enum GoTime {
    static func utcDescription(unixMilliseconds: Int64) -> String {
        let (seconds, milliseconds) = CivilCalendar.floorDivision(unixMilliseconds, by: 1000)
        let (days, secondOfDay) = CivilCalendar.split(unixSeconds: seconds)
        let date = CivilCalendar.date(daysSinceEpoch: days)
        var text = "\(padded(date.year, 4))-\(padded(date.month, 2))-\(padded(date.day, 2)) "
        text += "\(padded(secondOfDay / 3600, 2)):\(padded(secondOfDay / 60 % 60, 2)):\(padded(secondOfDay % 60, 2))"
        if milliseconds > 0 {
            var fraction = padded(milliseconds, 3)
            while fraction.hasSuffix("0") { fraction.removeLast() }
            text += "." + fraction
        }
        return text + " +0000 UTC"
    }

    /// Go's JSON form of a UTC instant (RFC 3339 with nanoseconds, trailing zeros dropped):
    /// "2006-01-02T15:04:05.999Z". Go's zero time, "0001-01-01T00:00:00Z", for nil.
    static func rfc3339(unixMilliseconds: Int64?) -> String {
        guard let unixMilliseconds else { return "0001-01-01T00:00:00Z" }
        let (seconds, milliseconds) = CivilCalendar.floorDivision(unixMilliseconds, by: 1000)
        let (days, secondOfDay) = CivilCalendar.split(unixSeconds: seconds)
        let date = CivilCalendar.date(daysSinceEpoch: days)
        var text = "\(padded(date.year, 4))-\(padded(date.month, 2))-\(padded(date.day, 2))T"
        text += "\(padded(secondOfDay / 3600, 2)):\(padded(secondOfDay / 60 % 60, 2)):\(padded(secondOfDay % 60, 2))"
        if milliseconds > 0 {
            var fraction = padded(milliseconds, 3)
            while fraction.hasSuffix("0") { fraction.removeLast() }
            text += "." + fraction
        }
        return text + "Z"
    }

    private static func padded(_ value: Int64, _ width: Int) -> String {
        let digits = String(value)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }
}
