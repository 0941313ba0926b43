import Hummingbird
import MetricStore

/// `/api/v1/metadata`: the HELP and TYPE of every family the agent's latest collection
/// produced (the series it stores), in Prometheus' shape `{"<name>":[{"type","help","unit"}]}`;
/// `metric`, `limit` and `limit_per_metric` as Prometheus takes them. Recorded series have no
/// metadata, as in Prometheus.
struct MetadataEndpoint: Sendable {
    let snapshots: SnapshotSource

    func respond(_ parameters: APIParameters) throws(APIError) -> Response {
        var limit = -1
        if !parameters.value("limit").isEmpty {
            guard let parsed = Int(parameters.value("limit")) else { throw APIError(.badData, "limit must be a number") }
            limit = parsed
        }
        if !parameters.value("limit_per_metric").isEmpty {
            guard Int(parameters.value("limit_per_metric")) != nil else {
                throw APIError(.badData, "limit_per_metric must be a number")
            }
        }
        let metric = parameters.value("metric")
        var families = (snapshots.latest?.families ?? []).filter { metric.isEmpty || $0.name == metric }
        families.sort { $0.name < $1.name }
        // Prometheus lists nothing for `limit=0` and everything for a negative limit.
        if limit >= 0 && families.count > limit { families.removeLast(families.count - limit) }
        return APIResponse.success { json in
            json.beginObject()
            for family in families {
                json.key(family.name)
                json.beginArray()
                json.beginObject()
                json.key("type")
                json.string(family.type.rawValue)
                json.key("help")
                json.string(family.help)
                json.key("unit")
                json.string("")
                json.endObject()
                json.endArray()
            }
            json.endObject()
        }
    }
}
