import AlertEngine
import Foundation
import MetricStore

/// The `data` of the Prometheus API's answers (as `JSONSerialization` parses it) turned back
/// into the values a local query yields, so that `--url` prints what `--data-dir` prints.
/// Pure, so that each shape is tested on a string.
public enum PrometheusAnswer {
    public struct Malformed: Error, CustomStringConvertible {
        public let description: String
    }

    /// `/api/v1/query`'s `{"resultType":…,"result":…}`.
    public static func queryValue(_ data: Any) throws(Malformed) -> QueryValue {
        guard let object = data as? [String: Any], let type = object["resultType"] as? String, let result = object["result"] else {
            throw Malformed(description: "the answer's data has no resultType and result")
        }
        switch type {
        case "scalar":
            return .scalar(try pair(result).value)
        case "string":
            guard let array = result as? [Any], array.count == 2, let text = array[1] as? String else {
                throw Malformed(description: "a string result is not [<time>, \"<text>\"]")
            }
            return .string(text)
        case "vector":
            guard let elements = result as? [Any] else { throw Malformed(description: "a vector result is not an array") }
            return .vector(
                try elements.map { (element: Any) throws(Malformed) -> VectorSample in
                    guard let sample = element as? [String: Any], let value = sample["value"] else {
                        throw Malformed(description: "a vector element has no value")
                    }
                    let point = try pair(value)
                    return VectorSample(labels: try labels(sample["metric"]), value: point.value, timestamp: point.timestamp)
                })
        case "matrix":
            return .matrix(try matrix(result))
        default:
            throw Malformed(description: "unknown resultType \(JSONWriter.quoted(type))")
        }
    }

    /// `/api/v1/query_range`'s data: always a matrix.
    public static func rangeSeries(_ data: Any) throws(Malformed) -> [RangeSeries] {
        guard case .matrix(let series) = try queryValue(data) else {
            throw Malformed(description: "a range query's answer is not a matrix")
        }
        return series
    }

    /// `/api/v1/series`' data: label sets.
    public static func labelSets(_ data: Any) throws(Malformed) -> [Labels] {
        guard let elements = data as? [Any] else { throw Malformed(description: "the series answer is not an array") }
        return try elements.map { (element: Any) throws(Malformed) -> Labels in try labels(element) }
    }

    /// `/api/v1/labels`' and `/api/v1/label/…/values`' data: strings.
    public static func strings(_ data: Any) throws(Malformed) -> [String] {
        guard let strings = data as? [String] else { throw Malformed(description: "the answer is not an array of strings") }
        return strings
    }

    private static func matrix(_ result: Any) throws(Malformed) -> [RangeSeries] {
        guard let elements = result as? [Any] else { throw Malformed(description: "a matrix result is not an array") }
        return try elements.map { (element: Any) throws(Malformed) -> RangeSeries in
            guard let series = element as? [String: Any], let values = series["values"] as? [Any] else {
                throw Malformed(description: "a matrix element has no values")
            }
            let points = try values.map { (value: Any) throws(Malformed) -> Sample in try pair(value) }
            return RangeSeries(labels: try labels(series["metric"]), points: points)
        }
    }

    private static func labels(_ metric: Any?) throws(Malformed) -> Labels {
        guard let metric = metric as? [String: String] else { throw Malformed(description: "a metric is not an object of strings") }
        return Labels(metric.map { Label($0.key, $0.value) })
    }

    /// `[<unix seconds>, "<value>"]`.
    private static func pair(_ value: Any) throws(Malformed) -> Sample {
        guard let array = value as? [Any], array.count == 2, let seconds = (array[0] as? NSNumber)?.doubleValue,
            let text = array[1] as? String, let number = sampleValue(text)
        else {
            throw Malformed(description: "a sample is not [<unix seconds>, \"<value>\"]")
        }
        guard seconds.isFinite, abs(seconds) < 9e12 else { throw Malformed(description: "a sample's time is out of range") }
        return Sample(timestamp: Int64((seconds * 1000).rounded()), value: number)
    }

    /// Go's `strconv.ParseFloat` spellings as Prometheus writes values: `NaN`, `+Inf`, `-Inf`, `1e+06`.
    static func sampleValue(_ text: String) -> Double? {
        switch text {
        case "NaN": .nan
        case "+Inf", "Inf": .infinity
        case "-Inf": -.infinity
        default: Double(text)
        }
    }
}
