import AlertEngine
import MetricStore

/// Query results in the JSON of Prometheus' HTTP API (`/api/v1/query`, `/api/v1/query_range`),
/// so that tools written for it read ours: `[<unix seconds>, "<value>"]` pairs, values as
/// strings so that NaN and ±Inf survive JSON.
public enum QueryResultJSON {
    public static func instant(_ value: QueryValue, at time: Int64) -> String {
        switch value {
        case .scalar(let number):
            return envelope("scalar", pair(time, number))
        case .string(let text):
            return envelope("string", "[\(seconds(time)),\(quoted(text))]")
        case .vector(let samples):
            let items = samples.map { "{\"metric\":\(metric($0.labels)),\"value\":\(pair($0.timestamp, $0.value))}" }
            return envelope("vector", "[" + items.joined(separator: ",") + "]")
        case .matrix(let series):
            return envelope("matrix", matrix(series))
        }
    }

    public static func range(_ series: [RangeSeries]) -> String {
        envelope("matrix", matrix(series))
    }

    private static func matrix(_ series: [RangeSeries]) -> String {
        let items = series.map { entry in
            "{\"metric\":\(metric(entry.labels)),\"values\":[" + entry.points.map { pair($0.timestamp, $0.value) }.joined(separator: ",") + "]}"
        }
        return "[" + items.joined(separator: ",") + "]"
    }

    private static func envelope(_ type: String, _ result: String) -> String {
        "{\"status\":\"success\",\"data\":{\"resultType\":\"\(type)\",\"result\":\(result)}}"
    }

    private static func pair(_ time: Int64, _ value: Double) -> String {
        "[\(seconds(time)),\(quoted(PromQLText.value(value)))]"
    }

    /// Unix seconds with up to millisecond digits, as Prometheus writes them (1700000000.5).
    public static func seconds(_ milliseconds: Int64) -> String {
        let whole = milliseconds / 1000, fraction = abs(milliseconds % 1000)
        if fraction == 0 { return "\(whole)" }
        var digits = String(fraction)
        while digits.count < 3 { digits = "0" + digits }
        while digits.hasSuffix("0") { digits.removeLast() }
        return (milliseconds < 0 && whole == 0 ? "-" : "") + "\(whole).\(digits)"
    }

    private static func metric(_ labels: Labels) -> String {
        "{" + labels.pairs.map { "\(quoted($0.name)):\(quoted($0.value))" }.joined(separator: ",") + "}"
    }

    static func quoted(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 {
                    let hex = String(scalar.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }
}
