/// Go's formatting of a UTC instant, to the millisecond: the fraction without trailing zeros
/// and left out when zero.
public enum GoTime {
    /// `time.Time.String()`: "2006-01-02 15:04:05.999 +0000 UTC".
    static func utcDescription(unixMilliseconds: Int64) -> String {
        dateAndTime(unixMilliseconds, separator: " ") + " +0000 UTC"
    }

    /// `time.RFC3339Nano`: "2006-01-02T15:04:05.999Z", as Prometheus prints times for people.
    public static func rfc3339(unixMilliseconds: Int64) -> String {
        dateAndTime(unixMilliseconds, separator: "T") + "Z"
    }

    private static func dateAndTime(_ unixMilliseconds: Int64, separator: String) -> String {
        let (seconds, milliseconds) = CivilCalendar.floorDivision(unixMilliseconds, by: 1000)
        let (days, secondOfDay) = CivilCalendar.split(unixSeconds: seconds)
        let date = CivilCalendar.date(daysSinceEpoch: days)
        var text = "\(padded(date.year, 4))-\(padded(date.month, 2))-\(padded(date.day, 2))" + separator
        text += "\(padded(secondOfDay / 3600, 2)):\(padded(secondOfDay / 60 % 60, 2)):\(padded(secondOfDay % 60, 2))"
        if milliseconds > 0 {
            var fraction = padded(milliseconds, 3)
            while fraction.hasSuffix("0") { fraction.removeLast() }
            text += "." + fraction
        }
        return text
    }

    /// Go's JSON form of an instant that may be unset: Go's zero time, "0001-01-01T00:00:00Z",
    /// for nil.
    static func rfc3339(unixMilliseconds: Int64?) -> String {
        guard let unixMilliseconds else { return "0001-01-01T00:00:00Z" }
        return rfc3339(unixMilliseconds: unixMilliseconds)
    }

    private static func padded(_ value: Int64, _ width: Int) -> String {
        let digits = String(value)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }
}
