import AlertEngine
import Foundation

/// A crontab(5) schedule, as Debian's cron (Vixie cron) reads it: five fields separated by
/// blanks,
///
///     minute (0-59)  hour (0-23)  day-of-month (1-31)  month (1-12, JAN-DEC)  day-of-week (0-7, SUN-SAT; 0 and 7 are Sunday)
///
/// each a comma-separated list of `*`, `N`, `N-M`, optionally followed by `/STEP` (`*/15`,
/// `1-5`, `MON-FRI`, `0-30/10`; `N/STEP` means `N-max/STEP`), or one of the macros `@yearly`
/// (`@annually`), `@monthly`, `@weekly`, `@daily` (`@midnight`), `@hourly`. Names are
/// case-insensitive and stand for single values only in their own field.
///
/// Days are cron's: when both day fields are restricted (neither starts with `*`), a day
/// matches if either does (`0 0 1,15 * MON` runs on the 1st, the 15th and every Monday);
/// otherwise both must.
///
/// Parsing is pure and reports the field, the 1-based column in the expression and what was
/// expected there. A schedule that can never run (`0 0 31 2 *`) is refused as well.
public struct CronExpression: Sendable, Equatable, CustomStringConvertible {
    /// Bit n set: value n matches. Day-of-week uses bits 0-6 (7 folded into 0).
    let minutes: UInt64
    let hours: UInt64
    let daysOfMonth: UInt64
    let months: UInt64
    let daysOfWeek: UInt64
    /// Whether the day field began with `*`: cron's rule for combining the two day fields.
    let dayOfMonthIsStar: Bool
    let dayOfWeekIsStar: Bool
    public let description: String

    /// The five fields in order, with their bounds and the names they accept.
    enum Field: Int, CaseIterable, Sendable {
        case minute, hour, dayOfMonth, month, dayOfWeek

        var label: String {
            switch self {
            case .minute: "minute"
            case .hour: "hour"
            case .dayOfMonth: "day-of-month"
            case .month: "month"
            case .dayOfWeek: "day-of-week"
            }
        }

        var bounds: ClosedRange<Int> {
            switch self {
            case .minute: 0...59
            case .hour: 0...23
            case .dayOfMonth: 1...31
            case .month: 1...12
            case .dayOfWeek: 0...7
            }
        }

        /// Names in value order, the first standing for `namesStart`.
        var names: [String] {
            switch self {
            case .month: ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"]
            case .dayOfWeek: ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"]
            default: []
            }
        }

        var namesStart: Int { self == .month ? 1 : 0 }

        var expected: String {
            let numbers = "a number \(bounds.lowerBound)-\(bounds.upperBound)"
            switch self {
            case .month: return numbers + " or a name JAN-DEC"
            case .dayOfWeek: return numbers + " or a name SUN-SAT"
            default: return numbers
            }
        }
    }

    static let macros: [String: String] = [
        "@yearly": "0 0 1 1 *", "@annually": "0 0 1 1 *", "@monthly": "0 0 1 * *", "@weekly": "0 0 * * 0",
        "@daily": "0 0 * * *", "@midnight": "0 0 * * *", "@hourly": "0 * * * *",
    ]

    /// Longer than any crontab line; what a config value may cost to read.
    static let maximumLength = 1000

    public static func parse(_ text: String) throws(CronError) -> CronExpression {
        guard text.utf8.count <= maximumLength else {
            throw CronError(field: nil, column: maximumLength + 1, "expected at most \(maximumLength) characters")
        }
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if trimmed.hasPrefix("@") {
            guard let expansion = macros[trimmed.lowercased()] else {
                let column = (text.firstIndex(of: "@").map { text.distance(from: text.startIndex, to: $0) } ?? 0) + 1
                throw CronError(
                    field: nil, column: column,
                    "expected one of @yearly, @annually, @monthly, @weekly, @daily, @midnight, @hourly, got '\(trimmed)'")
            }
            return try parseFields(expansion, description: text)
        }
        return try parseFields(text, description: text)
    }

    private static func parseFields(_ text: String, description: String) throws(CronError) -> CronExpression {
        // Fields with their 1-based starting column; only ASCII is meaningful, so columns count bytes.
        var fields: [(text: Substring, column: Int)] = []
        var start: String.Index?
        var column = 1
        var startColumn = 1
        for index in text.indices {
            let isBlank = text[index] == " " || text[index] == "\t"
            if isBlank, let begun = start {
                fields.append((text[begun..<index], startColumn))
                start = nil
            } else if !isBlank && start == nil {
                start = index
                startColumn = column
            }
            column += text[index].utf8.count
        }
        if let begun = start { fields.append((text[begun...], startColumn)) }
        guard fields.count == 5 else {
            let at = fields.count > 5 ? fields[5].column : column
            throw CronError(
                field: nil, column: at,
                "expected 5 fields (minute hour day-of-month month day-of-week), got \(fields.count)")
        }
        var sets: [UInt64] = []
        for field in Field.allCases {
            let (text, column) = fields[field.rawValue]
            sets.append(try parseField(text, field, column: column))
        }
        let daysOfWeek = (sets[4] & ~(1 << 7)) | ((sets[4] >> 7) & 1)
        let expression = CronExpression(
            minutes: sets[0], hours: sets[1], daysOfMonth: sets[2], months: sets[3], daysOfWeek: daysOfWeek,
            dayOfMonthIsStar: fields[2].text.hasPrefix("*"), dayOfWeekIsStar: fields[4].text.hasPrefix("*"),
            description: description)
        if !expression.dayOfMonthIsStar && expression.dayOfWeekIsStar && !expression.hasPossibleDay {
            throw CronError(
                field: .dayOfMonth, column: fields[2].column, "expected a day that exists in one of the months, got '\(fields[2].text)'")
        }
        return expression
    }

    /// Whether some listed month has some listed day (February counted with its 29th).
    private var hasPossibleDay: Bool {
        let longest = [0, 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
        return (1...12).contains { month in
            months & (1 << month) != 0 && (1...longest[month]).contains { daysOfMonth & (1 << $0) != 0 }
        }
    }

    private static func parseField(_ text: Substring, _ field: Field, column: Int) throws(CronError) -> UInt64 {
        var set: UInt64 = 0
        var itemColumn = column
        for item in text.split(separator: ",", omittingEmptySubsequences: false) {
            set |= try parseItem(item, field, column: itemColumn)
            itemColumn += item.utf8.count + 1
        }
        return set
    }

    /// `*`, `N`, `N-M`, each optionally `/STEP`.
    private static func parseItem(_ item: Substring, _ field: Field, column: Int) throws(CronError) -> UInt64 {
        guard !item.isEmpty else { throw CronError(field: field, column: column, "expected \(field.expected) or *, got nothing") }
        let slash = item.firstIndex(of: "/")
        let rangeText = slash.map { item[..<$0] } ?? item
        var low: Int
        var high: Int
        if rangeText == "*" {
            low = field.bounds.lowerBound
            high = field.bounds.upperBound
            if field == .dayOfWeek { high = 6 }
        } else if let dash = rangeText.firstIndex(of: "-") {
            low = try value(rangeText[..<dash], field, column: column)
            let highColumn = column + rangeText[...dash].utf8.count
            high = try value(rangeText[rangeText.index(after: dash)...], field, column: highColumn)
            guard low <= high else {
                throw CronError(field: field, column: column, "expected a range whose start is not after its end, got \(rangeText)")
            }
        } else {
            low = try value(rangeText, field, column: column)
            high = slash == nil ? low : field.bounds.upperBound
        }
        var step = 1
        if let slash {
            let stepText = item[item.index(after: slash)...]
            let stepColumn = column + item[...slash].utf8.count
            let width = field.bounds.upperBound - field.bounds.lowerBound + 1
            guard stepText.utf8.count <= 4, stepText.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }),
                let parsed = Int(stepText), parsed >= 1, parsed <= width
            else {
                throw CronError(field: field, column: stepColumn, "expected a step 1-\(width) after /, got '\(stepText)'")
            }
            step = parsed
        }
        var set: UInt64 = 0
        for value in stride(from: low, through: high, by: step) { set |= 1 << value }
        return set
    }

    private static func value(_ text: Substring, _ field: Field, column: Int) throws(CronError) -> Int {
        if !text.isEmpty, text.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) {
            guard text.utf8.count <= 4, let number = Int(text), field.bounds.contains(number) else {
                throw CronError(field: field, column: column, "expected \(field.expected), got \(text)")
            }
            return number
        }
        if let index = field.names.firstIndex(of: text.uppercased()) { return index + field.namesStart }
        throw CronError(field: field, column: column, "expected \(field.expected), got '\(text)'")
    }

    // MARK: Next run

    /// How far ahead `next` looks: February 29th under a restricted day-of-month comes at
    /// most 8 years apart (2096 → 2104).
    static let searchDays: Int64 = 9 * 366

    /// The first time after `after` (Unix seconds) at which the schedule fires in `timeZone`,
    /// at a whole minute. A wall-clock minute that a DST change skips does not fire (as a
    /// crontab entry would not at that minute); one that a change repeats fires at its first
    /// occurrence.
    public func next(after: Int64, in timeZone: TimeZone) -> Int64? {
        let start = Self.floorDivide(after, 60) * 60 + 60
        var wall = start + Self.offset(timeZone, at: start)
        let lastDay = Self.floorDivide(wall, 86_400) + Self.searchDays
        while Self.floorDivide(wall, 86_400) <= lastDay {
            let day = Self.floorDivide(wall, 86_400)
            guard matches(day: day) else {
                wall = (day + 1) * 86_400
                continue
            }
            guard let minuteOfDay = firstMinute(from: Int((wall - day * 86_400) / 60)) else {
                wall = (day + 1) * 86_400
                continue
            }
            wall = day * 86_400 + Int64(minuteOfDay) * 60
            if let utc = Self.utc(wall: wall, in: timeZone), utc > after { return utc }
            wall += 60
        }
        return nil
    }

    /// Whether the civil day `day` (days since 1970-01-01) matches the month and day fields.
    func matches(day: Int64) -> Bool {
        let date = CivilCalendar.date(daysSinceEpoch: day)
        guard months & (1 << date.month) != 0 else { return false }
        let domHit = daysOfMonth & (1 << date.day) != 0
        let dowHit = daysOfWeek & (1 << CivilCalendar.weekday(daysSinceEpoch: day)) != 0
        if dayOfMonthIsStar || dayOfWeekIsStar { return domHit && dowHit }
        return domHit || dowHit
    }

    private func firstMinute(from start: Int) -> Int? {
        for minuteOfDay in start..<1440 where hours & (1 << (minuteOfDay / 60)) != 0 && minutes & (1 << (minuteOfDay % 60)) != 0 {
            return minuteOfDay
        }
        return nil
    }

    static func offset(_ timeZone: TimeZone, at utc: Int64) -> Int64 {
        Int64(timeZone.secondsFromGMT(for: Date(timeIntervalSince1970: Double(utc))))
    }

    /// The first instant a wall-clock time names, nil for one a DST change skips. A change
    /// takes place at most once a day here, so the offsets a day either side are the only
    /// candidates.
    static func utc(wall: Int64, in timeZone: TimeZone) -> Int64? {
        let candidates = [offset(timeZone, at: wall - 86_400), offset(timeZone, at: wall + 86_400)].map { wall - $0 }
        return candidates.filter { $0 + offset(timeZone, at: $0) == wall }.min()
    }

    static func floorDivide(_ a: Int64, _ b: Int64) -> Int64 {
        CivilCalendar.floorDivision(a, by: b).quotient
    }
}

/// A cron expression refused: which field (none for the expression as a whole), the 1-based
/// column where the problem starts and what was expected there.
public struct CronError: Error, Equatable, Sendable, CustomStringConvertible {
    let field: CronExpression.Field?
    public let column: Int
    public let message: String

    init(field: CronExpression.Field?, column: Int, _ message: String) {
        self.field = field
        self.column = column
        self.message = message
    }

    public var description: String {
        "\(field.map { "\($0.label) field, " } ?? "")column \(column): \(message)"
    }
}
