import AlertEngine
import Foundation
import MetricStore

/// Query results as CSV (RFC 4180's quoting, Unix line ends) for spreadsheets and scripts: a header naming every label
/// any row has (sorted), then `timestamp` (Unix seconds, as the JSON has it) and `value`; one
/// row per sample. A label a series lacks is an empty field, as Prometheus treats it.
public enum QueryResultCSV {
    public static func instant(_ value: QueryValue, at time: Int64) -> String {
        switch value {
        case .scalar(let number):
            return rows([], [(Labels.empty, time, PromQLText.value(number))])
        case .string(let text):
            return rows([], [(Labels.empty, time, text)])
        case .vector(let samples):
            return rows(names(samples.map(\.labels)), samples.map { ($0.labels, $0.timestamp, PromQLText.value($0.value)) })
        case .matrix(let series):
            return range(series)
        }
    }

    public static func range(_ series: [RangeSeries]) -> String {
        rows(
            names(series.map(\.labels)),
            series.flatMap { entry in entry.points.map { (entry.labels, $0.timestamp, PromQLText.value($0.value)) } })
    }

    /// `scalewatch series`: one row per label set.
    public static func series(_ labelSets: [Labels]) -> String {
        let columns = names(labelSets)
        return ([columns] + labelSets.map { labels in columns.map { labels[$0] ?? "" } }).map(line).joined()
    }

    /// `scalewatch labels`: one field per row under `header`.
    public static func strings(_ values: [String], header: String) -> String {
        ([[header]] + values.map { [$0] }).map(line).joined()
    }

    private static func rows(_ columns: [String], _ samples: [(Labels, Int64, String)]) -> String {
        var lines = [line(columns + ["timestamp", "value"])]
        for (labels, time, value) in samples {
            lines.append(line(columns.map { labels[$0] ?? "" } + [JSONWriter.unixSeconds(milliseconds: time), value]))
        }
        return lines.joined()
    }

    private static func names(_ labelSets: [Labels]) -> [String] {
        Set(labelSets.flatMap { $0.pairs.map(\.name) }).sorted()
    }

    private static func line(_ fields: [String]) -> String {
        fields.map(field).joined(separator: ",") + "\n"
    }

    /// Quoted only where RFC 4180 requires it: a comma, a quote or a line break inside.
    static func field(_ text: String) -> String {
        guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
