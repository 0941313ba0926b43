import AlertEngine
import MetricStore

/// Query results for people: one line per series, label set then value, aligned.
public enum QueryResultTable {
    public static func instant(_ value: QueryValue) -> String {
        switch value {
        case .scalar(let number):
            return "scalar: " + PromQLText.value(number)
        case .string(let text):
            return "string: " + text
        case .vector(let samples):
            if samples.isEmpty { return "(no series)" }
            return aligned(samples.map { (PromQLText.labels($0.labels), PromQLText.value($0.value)) })
        case .matrix(let series):
            return range(series)
        }
    }

    /// Each series' label set, then its points a line each: the time in RFC 3339 (UTC), the
    /// value. JSON output keeps Unix seconds, as Prometheus' API has them.
    public static func range(_ series: [RangeSeries]) -> String {
        if series.isEmpty { return "(no series)" }
        return series.map { entry in
            PromQLText.labels(entry.labels) + "\n"
                + entry.points.map { "  \(GoTime.rfc3339(unixMilliseconds: $0.timestamp))  \(PromQLText.value($0.value))" }
                .joined(separator: "\n")
        }.joined(separator: "\n")
    }

    /// `scalewatch series`: one label set a line.
    public static func series(_ labelSets: [Labels]) -> String {
        labelSets.isEmpty ? "(no series)" : labelSets.map(PromQLText.labels).joined(separator: "\n")
    }

    /// `scalewatch labels`: one name or value a line.
    public static func strings(_ values: [String]) -> String {
        values.isEmpty ? "(none)" : values.joined(separator: "\n")
    }

    private static func aligned(_ rows: [(String, String)]) -> String {
        let width = rows.map(\.0.count).max() ?? 0
        return rows.map { $0.0 + String(repeating: " ", count: width - $0.0.count + 2) + $0.1 }.joined(separator: "\n")
    }
}
