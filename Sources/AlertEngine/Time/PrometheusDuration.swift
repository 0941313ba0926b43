/// Prometheus' durations (`model.ParseDuration` and `model.Duration.String`), the one syntax
/// that config files, rule files, PromQL, templates and the CLI share: `<integer><unit>` pairs
/// with units y, w, d, h, m, s, ms, largest first and each at most once (`1h30m`, `500ms`,
/// `1y2w3d4h5m6s7ms`), or a bare `0`. A year is 365 days and a week 7 days.
///
/// Values are milliseconds in `Int64`, the unit of the store and of PromQL. Prometheus keeps a
/// duration in `time.Duration`, Int64 nanoseconds, and refuses anything longer (about 292
/// years); refusing the same here keeps every file Prometheus refuses refused, and leaves a
/// margin of six orders of magnitude below Int64 milliseconds, so that a duration added to or
/// subtracted from any representable time cannot overflow because of its own size.
public enum PrometheusDuration {
    /// The longest duration, as Prometheus' `time.Duration` allows: `106751d23h47m16s854ms`.
    public static let maxMilliseconds: Int64 = Int64.max / 1_000_000

    public enum ParseError: Error, Sendable, Equatable, CustomStringConvertible {
        case empty
        /// Not `<digits><unit>` pairs, or units not in descending order.
        case invalid(String)
        case unknownUnit(String, in: String)
        /// Longer than `maxMilliseconds`.
        case outOfRange(String)

        /// Prometheus' own messages, which `parseDuration` in templates passes on verbatim.
        public var description: String {
            switch self {
            case .empty: return "empty duration string"
            case .invalid(let text): return "not a valid duration string: \(GoQuote.quote(text))"
            case .unknownUnit(let unit, let text): return "unknown unit \(GoQuote.quote(unit)) in duration \(GoQuote.quote(text))"
            case .outOfRange: return "duration out of range"
            }
        }
    }

    /// Largest unit first: a unit's index is its rank, and ranks must strictly increase.
    private static let units: [(suffix: String, milliseconds: Int64)] = [
        ("y", 365 * 86_400_000), ("w", 7 * 86_400_000), ("d", 86_400_000),
        ("h", 3_600_000), ("m", 60_000), ("s", 1_000), ("ms", 1),
    ]

    public static func milliseconds(parsing text: String) throws(ParseError) -> Int64 {
        switch text {
        case "0": return 0  // the one duration Prometheus accepts without a unit
        case "": throw .empty
        default: break
        }
        let bytes = Array(text.utf8)
        func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }
        var index = 0
        var total: Int64 = 0
        var nextRank = 0
        while index < bytes.count {
            var amount: Int64 = 0
            var tooLarge = false
            let digitsStart = index
            while index < bytes.count, isDigit(bytes[index]) {
                let (shifted, overflowA) = amount.multipliedReportingOverflow(by: 10)
                let (added, overflowB) = shifted.addingReportingOverflow(Int64(bytes[index] - UInt8(ascii: "0")))
                // Keep scanning so that a bad unit after a huge number is still reported as such.
                if overflowA || overflowB { tooLarge = true }
                amount = added
                index += 1
            }
            guard index > digitsStart else { throw .invalid(text) }
            // The unit is everything up to the next digit, as in Prometheus: `5mm` is the
            // unknown unit "mm", not 5 minutes followed by garbage.
            let unitStart = index
            while index < bytes.count, !isDigit(bytes[index]) { index += 1 }
            guard index > unitStart else { throw .invalid(text) }
            // Cut at ASCII digits only, so the slice is whole UTF-8.
            let suffix = String(decoding: bytes[unitStart..<index], as: UTF8.self)
            guard let rank = units.firstIndex(where: { $0.suffix == suffix }) else {
                throw .unknownUnit(suffix, in: text)
            }
            guard rank >= nextRank else { throw .invalid(text) }
            nextRank = rank + 1
            guard !tooLarge else { throw .outOfRange(text) }
            let (scaled, overflowA) = amount.multipliedReportingOverflow(by: units[rank].milliseconds)
            let (sum, overflowB) = total.addingReportingOverflow(scaled)
            guard !overflowA, !overflowB, sum <= maxMilliseconds else { throw .outOfRange(text) }
            total = sum
        }
        return total
    }

    /// A number of seconds where a duration is expected (PromQL's `[300]`, `offset 1.5`),
    /// rounded to the millisecond; nil for NaN, infinities and anything beyond
    /// ±`maxMilliseconds`, the bound Prometheus applies to such numbers.
    public static func milliseconds(seconds: Double) -> Int64? {
        let milliseconds = (seconds * 1000).rounded()
        // Compared as Doubles first: converting an out-of-range Double to Int64 traps.
        guard milliseconds.isFinite, milliseconds.magnitude <= Double(maxMilliseconds) else { return nil }
        return Int64(milliseconds)
    }

    /// Prometheus' canonical spelling: `90m` → `1h30m`, `0` → `0s`, `-300000` → `-5m`. Years
    /// and weeks are used only when they divide the rest exactly, since `90d` reads better
    /// than `12w6d`. Any Int64 formats, including ones `milliseconds(parsing:)` would refuse.
    public static func format(milliseconds: Int64) -> String {
        if milliseconds == 0 { return "0s" }
        var remaining = milliseconds.magnitude
        var text = milliseconds < 0 ? "-" : ""
        for (suffix, size) in units {
            let size = UInt64(size)
            if (suffix == "y" || suffix == "w") && remaining % size != 0 { continue }
            let count = remaining / size
            if count > 0 {
                text += "\(count)\(suffix)"
                remaining -= count * size
            }
        }
        return text
    }
}
