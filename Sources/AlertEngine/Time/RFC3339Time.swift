/// RFC 3339 times as Go's `time.Parse(time.RFC3339Nano, …)` reads them:
/// `YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM)`, with real calendar dates (no February 30, no
/// leap second) and a fraction of 1 to 9 digits, cut off below the millisecond.
enum RFC3339Time {
    /// Milliseconds since the epoch, or nil when `text` is not such a time.
    static func milliseconds(_ text: String) -> Int64? {
        let bytes = Array(text.utf8)
        func number(_ range: Range<Int>) -> Int? {
            guard range.upperBound <= bytes.count else { return nil }
            var value = 0
            for byte in bytes[range] {
                guard (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) else { return nil }
                value = value * 10 + Int(byte - UInt8(ascii: "0"))
            }
            return value
        }
        func byte(_ index: Int, is character: Unicode.Scalar) -> Bool {
            index < bytes.count && bytes[index] == UInt8(ascii: character)
        }
        guard let year = number(0..<4), byte(4, is: "-"), let month = number(5..<7), byte(7, is: "-"), let day = number(8..<10),
            byte(10, is: "T"), let hour = number(11..<13), byte(13, is: ":"), let minute = number(14..<16), byte(16, is: ":"),
            let second = number(17..<19)
        else { return nil }
        var index = 19
        var milliseconds = 0
        if byte(index, is: ".") {
            index += 1
            let start = index
            while index < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[index]) { index += 1 }
            guard (1...9).contains(index - start) else { return nil }
            for position in start..<start + 3 {
                milliseconds = milliseconds * 10 + (position < index ? Int(bytes[position] - UInt8(ascii: "0")) : 0)
            }
        }
        var offsetSeconds = 0
        if byte(index, is: "Z") && index + 1 == bytes.count {
            offsetSeconds = 0
        } else if (byte(index, is: "+") || byte(index, is: "-")) && index + 6 == bytes.count, byte(index + 3, is: ":"),
            let offsetHours = number(index + 1..<index + 3), let offsetMinutes = number(index + 4..<index + 6),
            offsetHours < 24, offsetMinutes < 60
        {
            offsetSeconds = (offsetHours * 60 + offsetMinutes) * 60 * (byte(index, is: "-") ? -1 : 1)
        } else {
            return nil
        }
        guard (1...12).contains(month), (1...CivilCalendar.daysIn(month: Int64(month), year: Int64(year))).contains(Int64(day)), hour < 24, minute < 60, second < 60
        else { return nil }
        // At most four-digit years: no overflow is possible on this path.
        let days = CivilCalendar.daysSinceEpoch(CivilCalendar.Date(year: Int64(year), month: Int64(month), day: Int64(day)))
        let seconds = ((days * 24 + Int64(hour)) * 60 + Int64(minute)) * 60 + Int64(second) - Int64(offsetSeconds)
        return seconds * 1000 + Int64(milliseconds)
    }
}
