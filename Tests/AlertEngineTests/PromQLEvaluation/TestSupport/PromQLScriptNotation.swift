import AlertEngine
import MetricStore

/// The notation of Prometheus' promqltest files, so that their cases can be used as they
/// are: `metric{a="b"} 0+10x5 _ stale 3`, durations like `15m1s`.
enum PromQLScriptNotation {
    struct NotationError: Error, CustomStringConvertible {
        let description: String
    }

    /// `name{label="value", …}` as a label set (the metric name becomes `__name__`).
    static func labels(_ descriptor: String) throws -> Labels {
        if descriptor.filter({ !$0.isWhitespace }) == "{}" { return .empty }
        guard case let .vectorSelector(selector) = try PromQLParser.parse(descriptor) else {
            throw NotationError(description: "not a series descriptor: \(descriptor)")
        }
        return Labels(selector.matchers.map { Label($0.name, $0.value) })
    }

    /// Splits `descriptor values…` where the descriptor is `name`, `{…}` or `name{…}`.
    static func splitSeriesLine(_ line: String) -> (descriptor: String, rest: String) {
        let trimmed = line.trimmingCharacters(in: .whitespaces)
        if let brace = trimmed.firstIndex(of: "{"), let close = trimmed.lastIndex(of: "}"),
            !trimmed[..<brace].contains(where: { $0 == " " || $0 == "\t" })
        {
            let end = trimmed.index(after: close)
            return (String(trimmed[..<end]), String(trimmed[end...]).trimmingCharacters(in: .whitespaces))
        }
        let parts = trimmed.split(maxSplits: 1, whereSeparator: { $0 == " " || $0 == "\t" })
        return (String(parts[0]), parts.count > 1 ? String(parts[1]).trimmingCharacters(in: .whitespaces) : "")
    }

    /// One value per step; nil where the notation leaves a gap (`_`): the production
    /// expansion that `test rules` uses.
    static func values(_ text: String) throws -> [Double?] {
        try AlertEngine.SeriesNotation.expand(text)
    }

    static func number(_ text: String) throws -> Double {
        switch text.lowercased() {
        case "inf", "+inf": return .infinity
        case "-inf": return -.infinity
        case "nan": return .nan
        default:
            guard let value = Double(text) else { throw NotationError(description: "not a number: \(text)") }
            return value
        }
    }

    /// `1h30m`, `15m1s`, `500ms`, or a plain number of seconds, in milliseconds.
    static func duration(_ text: String) throws -> Int64 {
        if let seconds = Double(text) { return Int64((seconds * 1000).rounded()) }
        return try PrometheusDuration.milliseconds(parsing: text)
    }
}
