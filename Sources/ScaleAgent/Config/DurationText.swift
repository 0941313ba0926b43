/// Prometheus' duration syntax: one or more `<number><unit>` parts, largest unit first, with
/// units ms, s, m, h, d, w, y (`1h30m`, `500ms`, `10s`).
enum DurationText {
    private static let units: [(suffix: String, milliseconds: Int64)] = [
        ("ms", 1), ("s", 1000), ("m", 60_000), ("h", 3_600_000), ("d", 86_400_000), ("w", 604_800_000),
        ("y", 31_536_000_000),
    ]

    static func parse(_ text: String) -> Duration? {
        var rest = Substring(text)
        guard !rest.isEmpty else { return nil }
        var total: Int64 = 0
        var lastUnitRank = Int.max
        while !rest.isEmpty {
            let digits = rest.prefix { $0.isASCII && $0.isNumber }
            guard !digits.isEmpty, let number = Int64(digits) else { return nil }
            rest = rest.dropFirst(digits.count)
            // "ms" before "m" so that 500ms is not read as 500 minutes followed by "s".
            guard let (rank, unit) = units.enumerated().first(where: { rest.hasPrefix($0.element.suffix) && !(
                $0.element.suffix == "m" && rest.hasPrefix("ms")) })
            else { return nil }
            guard rank < lastUnitRank else { return nil }
            lastUnitRank = rank
            rest = rest.dropFirst(unit.suffix.count)
            let (product, overflow) = number.multipliedReportingOverflow(by: unit.milliseconds)
            guard !overflow else { return nil }
            total += product
        }
        return .milliseconds(total)
    }

    static func format(_ duration: Duration) -> String {
        var milliseconds = duration.milliseconds
        if milliseconds == 0 { return "0s" }
        var text = ""
        for (suffix, size) in units.reversed() where milliseconds >= size && suffix != "y" && suffix != "w" {
            text += "\(milliseconds / size)\(suffix)"
            milliseconds %= size
        }
        return text
    }
}
