import AlertEngine
import MetricStore

/// Query results in the JSON of Prometheus' HTTP API (`/api/v1/query`, `/api/v1/query_range`),
/// so that tools written for it read ours: `[<unix seconds>, "<value>"]` pairs, values as
/// strings so that NaN and ±Inf survive JSON.
public enum QueryResultJSON {
    public static func instant(_ value: QueryValue, at time: Int64) -> String {
        envelope { instantData(value, at: time, &$0) }
    }

    /// The `data` member of an instant query's answer: `{"resultType":…,"result":…}`, then
    /// what `extra` writes (the API's `stats`).
    static func instantData(
        _ value: QueryValue, at time: Int64, _ json: inout JSONWriter, extra: (inout JSONWriter) -> Void = { _ in }
    ) {
        data(resultType(of: value), &json, extra: extra) { json in
            switch value {
            case .scalar(let number):
                pair(time, number, &json)
            case .string(let text):
                json.beginArray()
                json.unixSeconds(milliseconds: time)
                json.string(text)
                json.endArray()
            case .vector(let samples):
                json.beginArray()
                for sample in samples {
                    json.beginObject()
                    metric(sample.labels, &json)
                    json.key("value")
                    pair(sample.timestamp, sample.value, &json)
                    json.endObject()
                }
                json.endArray()
            case .matrix(let series):
                matrix(series, &json)
            }
        }
    }

    public static func range(_ series: [RangeSeries]) -> String {
        envelope { rangeData(series, &$0) }
    }

    /// The `data` member of a range query's answer.
    static func rangeData(_ series: [RangeSeries], _ json: inout JSONWriter, extra: (inout JSONWriter) -> Void = { _ in }) {
        data("matrix", &json, extra: extra) { matrix(series, &$0) }
    }

    /// `/api/v1/series`' answer.
    public static func series(_ labelSets: [Labels]) -> String {
        envelope { json in
            json.beginArray()
            for labels in labelSets {
                json.beginObject()
                for label in labels.pairs {
                    json.key(label.name)
                    json.string(label.value)
                }
                json.endObject()
            }
            json.endArray()
        }
    }

    /// `/api/v1/labels`' and `/api/v1/label/…/values`' answer.
    public static func strings(_ values: [String]) -> String {
        envelope { json in
            json.beginArray()
            for value in values { json.string(value) }
            json.endArray()
        }
    }

    /// Unix seconds with up to millisecond digits, as Prometheus writes them (1700000000.5).
    public static func seconds(_ milliseconds: Int64) -> String {
        JSONWriter.unixSeconds(milliseconds: milliseconds)
    }

    private static func resultType(of value: QueryValue) -> String {
        switch value {
        case .scalar: "scalar"
        case .string: "string"
        case .vector: "vector"
        case .matrix: "matrix"
        }
    }

    private static func envelope(_ data: (inout JSONWriter) -> Void) -> String {
        var json = JSONWriter()
        json.beginObject()
        json.key("status")
        json.string("success")
        json.key("data")
        data(&json)
        json.endObject()
        return json.text
    }

    private static func data(
        _ type: String, _ json: inout JSONWriter, extra: (inout JSONWriter) -> Void = { _ in }, _ result: (inout JSONWriter) -> Void
    ) {
        json.beginObject()
        json.key("resultType")
        json.string(type)
        json.key("result")
        result(&json)
        extra(&json)
        json.endObject()
    }

    private static func matrix(_ series: [RangeSeries], _ json: inout JSONWriter) {
        json.beginArray()
        for entry in series {
            json.beginObject()
            metric(entry.labels, &json)
            json.key("values")
            json.beginArray()
            for point in entry.points { pair(point.timestamp, point.value, &json) }
            json.endArray()
            json.endObject()
        }
        json.endArray()
    }

    private static func pair(_ time: Int64, _ value: Double, _ json: inout JSONWriter) {
        json.beginArray()
        json.unixSeconds(milliseconds: time)
        json.sampleValue(value)
        json.endArray()
    }

    static func metric(_ labels: Labels, _ json: inout JSONWriter) {
        json.key("metric")
        json.beginObject()
        for label in labels.pairs {
            json.key(label.name)
            json.string(label.value)
        }
        json.endObject()
    }
}
