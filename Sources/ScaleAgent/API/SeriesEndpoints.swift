import Hummingbird
import MetricStore

/// `/api/v1/series`, `/api/v1/labels` and `/api/v1/label/<name>/values`: `match[]`, `start`,
/// `end` and `limit` as Prometheus takes them. Answers are bounded by `query.max_series` as well
/// as by `limit`; either truncates with Prometheus' warning.
struct SeriesEndpoints: Sendable {
    let runner: QueryRunner

    func series(_ parameters: APIParameters) async throws(APIError) -> Response {
        guard parameters.form.has("match[]") else { throw APIError(.badData, "no match[] parameter provided") }
        let limit = try parameters.limit()
        let start = try parameters.time("start", default: APIParameters.minTime)
        let end = try parameters.time("end", default: APIParameters.maxTime)
        let matcherSets: [[LabelMatcher]]
        do {
            matcherSets = try parameters.matcherSets()
        } catch {
            throw .invalidParameter("match[]", error.message)
        }
        let store = runner.store
        let found = try await runner.run(describe: { ["endpoint": "series", "match": "\(parameters.form.values("match[]"))"] }) {
            budget, settings in
            try SeriesLookup(store: store, budget: budget).series(
                matcherSets, minTime: start, maxTime: end, limit: Self.bound(limit, settings))
        }
        let (series, truncated) = found
        return APIResponse.success(warnings: truncated ? [QueryEndpoints.truncated] : []) { json in
            json.beginArray()
            for labels in series {
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

    func labelNames(_ parameters: APIParameters) async throws(APIError) -> Response {
        let limit = try parameters.limit()
        let start = try parameters.time("start", default: APIParameters.minTime)
        let end = try parameters.time("end", default: APIParameters.maxTime)
        let matcherSets = try parameters.matcherSets()
        let store = runner.store
        let found = try await runner.run(describe: { ["endpoint": "labels"] }) { budget, settings in
            (try SeriesLookup(store: store, budget: budget).labelNames(matcherSets, minTime: start, maxTime: end), Self.bound(limit, settings))
        }
        return Self.strings(found.0, limit: found.1)
    }

    func labelValues(_ name: String, _ parameters: APIParameters) async throws(APIError) -> Response {
        guard Self.isLabelName(name) else { throw APIError(.badData, "invalid label name: \(JSONWriter.quoted(name))") }
        let limit = try parameters.limit()
        let start = try parameters.time("start", default: APIParameters.minTime)
        let end = try parameters.time("end", default: APIParameters.maxTime)
        let matcherSets = try parameters.matcherSets()
        let store = runner.store
        let found = try await runner.run(describe: { ["endpoint": "label values", "label": "\(name)"] }) { budget, settings in
            (
                try SeriesLookup(store: store, budget: budget).labelValues(name, matcherSets, minTime: start, maxTime: end),
                Self.bound(limit, settings)
            )
        }
        return Self.strings(found.0, limit: found.1)
    }

    /// The caller's `limit`, within `query.max_series`.
    static func bound(_ limit: Int, _ settings: QuerySettings) -> Int {
        limit > 0 ? min(limit, settings.maxSeries) : settings.maxSeries
    }

    private static func strings(_ values: [String], limit: Int) -> Response {
        let truncated = limit > 0 && values.count > limit
        return APIResponse.success(warnings: truncated ? [QueryEndpoints.truncated] : []) { json in
            json.beginArray()
            for value in truncated ? values[..<limit] : values[...] { json.string(value) }
            json.endArray()
        }
    }

    /// Prometheus 2's label names: `[a-zA-Z_][a-zA-Z0-9_]*`.
    static func isLabelName(_ name: String) -> Bool {
        guard let first = name.utf8.first, first == UInt8(ascii: "_") || (first | 0x20) >= UInt8(ascii: "a") && (first | 0x20) <= UInt8(ascii: "z")
        else { return false }
        return name.utf8.allSatisfy { byte in
            byte == UInt8(ascii: "_") || (byte | 0x20) >= UInt8(ascii: "a") && (byte | 0x20) <= UInt8(ascii: "z")
                || byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
        }
    }
}
