/// Prometheus' duration syntax for rule and rule-test files, in milliseconds: units in
/// falling order, each at most once (`1y`, `2w`, `1d`, `1h30m`, `10s`, `500ms`), or a bare `0`.
/// `1m1h` and `1.5h` are refused, as Prometheus refuses them.
public enum RuleDuration {
    /// Largest first: the order in which a duration must name its units.
    private static let units: [(suffix: String, milliseconds: Int64)] = [
        ("y", 365 * 86_400_000), ("w", 7 * 86_400_000), ("d", 86_400_000), ("h", 3_600_000), ("m", 60_000),
        ("s", 1000), ("ms", 1),
    ]

    public static func parse(_ text: String) -> Int64? {
        if text == "0" { return 0 }
        var rest = Substring(text)
        guard !rest.isEmpty else { return nil }
        var total: Int64 = 0
        var nextUnit = 0
        while !rest.isEmpty {
            let digits = rest.prefix { $0.isASCII && $0.isWholeNumber }
            guard !digits.isEmpty, let number = Int64(digits) else { return nil }
            rest = rest.dropFirst(digits.count)
            // `ms` is checked before `m`: in `500ms` the unit is milliseconds, not minutes then `s`.
            let suffix = rest.hasPrefix("ms") ? "ms" : String(rest.prefix(1))
            guard let unitIndex = units.firstIndex(where: { $0.suffix == suffix }), unitIndex >= nextUnit else { return nil }
            nextUnit = unitIndex + 1
            rest = rest.dropFirst(suffix.count)
            let (product, productOverflow) = number.multipliedReportingOverflow(by: units[unitIndex].milliseconds)
            let (sum, sumOverflow) = total.addingReportingOverflow(product)
            guard !productOverflow, !sumOverflow else { return nil }
            total = sum
        }
        return total
    }

    /// The text Prometheus prints for a duration (`1h30m`, `0s`, `90d`): years and weeks only
    /// when they divide it exactly, since `90d` reads better than `12w6d`.
    public static func format(_ milliseconds: Int64) -> String {
        if milliseconds == 0 { return "0s" }
        var rest = milliseconds.magnitude
        var text = milliseconds < 0 ? "-" : ""
        for (suffix, size) in units.map({ ($0.suffix, UInt64($0.milliseconds)) }) {
            let exactOnly = suffix == "y" || suffix == "w"
            if exactOnly && rest % size != 0 { continue }
            let count = rest / size
            guard count > 0 else { continue }
            text += "\(count)\(suffix)"
            rest -= count * size
        }
        return text
    }
}
