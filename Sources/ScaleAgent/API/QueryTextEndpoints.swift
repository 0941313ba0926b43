import AlertEngine
import Hummingbird
import MetricStore

/// `/api/v1/format_query` and `/api/v1/query_exemplars`: answered from the query text alone.
enum QueryTextEndpoints {
    /// The query in canonical form (`PromQLPrinter`), or a parse error.
    static func formatQuery(_ parameters: APIParameters) throws(APIError) -> Response {
        let expr = try QueryEndpoints.parse(parameters.value("query"))
        let text = expr.description
        return APIResponse.success { $0.string(text) }
    }

    /// The agent stores no exemplars: an empty list, after Prometheus' checks of the parameters.
    static func queryExemplars(_ parameters: APIParameters) throws(APIError) -> Response {
        let start = try parameters.time("start", default: APIParameters.minTime)
        let end = try parameters.time("end", default: APIParameters.maxTime)
        guard end >= start else { throw APIError(.badData, "end timestamp must not be before start timestamp") }
        do {
            _ = try PromQLParser.parse(parameters.value("query"))
        } catch {
            throw APIError(.badData, error.description)
        }
        return APIResponse.success { json in
            json.beginArray()
            json.endArray()
        }
    }
}
