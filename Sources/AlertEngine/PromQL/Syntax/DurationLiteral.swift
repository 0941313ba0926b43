/// Prometheus' duration literals: `<integer><unit>` pairs with units in the order
/// y, w, d, h, m, s, ms, each at most once (`1h30m`, `5m`, `1y`, `500ms`). A year is 365 days
/// and a week 7 days, as in Prometheus; everything is kept in milliseconds.
public enum DurationLiteral {
    public enum Failure: Error, Sendable, Equatable, CustomStringConvertible {
        case invalid(String)
        case outOfRange(String)

        public var description: String {
            switch self {
            case .invalid(let text): return "not a valid duration string: \"\(text)\""
            case .outOfRange(let text): return "duration out of range: \"\(text)\""
            }
        }
    }

    /// Largest unit first, which is also the only order the units may be written in.
    private static let units: [(suffix: String, milliseconds: Int64)] = [
        ("y", 365 * 24 * 3_600_000), ("w", 7 * 24 * 3_600_000), ("d", 24 * 3_600_000),
        ("h", 3_600_000), ("m", 60_000), ("s", 1_000), ("ms", 1),
    ]

    public static func milliseconds(_ text: String) throws(Failure) -> Int64 {
        // Prometheus accepts a bare zero as the one unit-less duration.
        if text == "0" { return 0 }
        let characters = Array(text)
        var index = 0
        var total: Int64 = 0
        var nextUnit = 0
        guard !characters.isEmpty else { throw .invalid(text) }
        while index < characters.count {
            var amount: Int64 = 0
            let digitsStart = index
            while index < characters.count, let digit = characters[index].wholeNumberValue, characters[index].isASCII {
                let (shifted, overflowA) = amount.multipliedReportingOverflow(by: 10)
                let (added, overflowB) = shifted.addingReportingOverflow(Int64(digit))
                guard !overflowA, !overflowB else { throw .outOfRange(text) }
                amount = added
                index += 1
            }
            guard index > digitsStart, index < characters.count else { throw .invalid(text) }
            // `m` followed by `s` is milliseconds, never minutes then seconds without a number.
            let suffix = characters[index] == "m" && index + 1 < characters.count && characters[index + 1] == "s"
                ? "ms" : String(characters[index])
            guard let unit = units.indices.first(where: { units[$0].suffix == suffix }), unit >= nextUnit else {
                throw .invalid(text)
            }
            index += suffix.count
            nextUnit = unit + 1
            let (scaled, overflowA) = amount.multipliedReportingOverflow(by: units[unit].milliseconds)
            let (sum, overflowB) = total.addingReportingOverflow(scaled)
            guard !overflowA, !overflowB else { throw .outOfRange(text) }
            total = sum
        }
        return total
    }

    /// A number of seconds where a duration is expected (`[300]`, `offset 1.5`), rounded to the
    /// millisecond; nil when it does not fit.
    public static func milliseconds(seconds: Double) -> Int64? {
        let milliseconds = (seconds * 1000).rounded()
        guard milliseconds.isFinite, milliseconds > -9.2e18, milliseconds < 9.2e18 else { return nil }
        return Int64(milliseconds)
    }

    /// Prometheus' canonical spelling: `90m` → `1h30m`, `0` → `0s`. Years and weeks are used
    /// only when they divide the rest exactly, since `90d` reads better than `12w6d`.
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
