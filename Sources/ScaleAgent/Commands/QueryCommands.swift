import AlertEngine
import MetricStore

/// What `scalewatch query`, `series` and `labels` do: PromQL and series lookups over a data
/// directory opened read-only (so it works beside a running agent and never changes what it
/// reads), or over a running agent's Prometheus API. Both give the same values, so the same
/// tables print either way.
public enum QueryCommands {
    public static func instant(_ text: String, at time: Int64, dataDirectory: String, windowStart: WindowStart = .excluded) throws -> QueryValue {
        let expr = try PromQLParser.parse(text)
        let store = try Store.openReadOnly(dataDirectory)
        defer { store.close() }
        return try QueryEngine(source: store, windowStart: windowStart).instantQuery(expr, at: time)
    }

    public static func range(
        _ text: String, start: Int64, end: Int64, step: Int64, dataDirectory: String, windowStart: WindowStart = .excluded
    ) throws -> [RangeSeries] {
        let expr = try PromQLParser.parse(text)
        let store = try Store.openReadOnly(dataDirectory)
        defer { store.close() }
        return try QueryEngine(source: store, defaultSubqueryStep: step, windowStart: windowStart).rangeQuery(
            expr, start: start, end: end, step: step)
    }

    public static func instant(_ text: String, at time: Int64, from source: QuerySource, windowStart: WindowStart = .excluded) async throws
        -> QueryValue
    {
        switch source {
        case .dataDirectory(let directory):
            return try instant(text, at: time, dataDirectory: directory, windowStart: windowStart)
        case .agent(let url):
            let data = try await AgentClient(baseURL: url).data("/api/v1/query", [("query", text), ("time", seconds(time))])
            return try PrometheusAnswer.queryValue(data)
        }
    }

    public static func range(
        _ text: String, start: Int64, end: Int64, step: Int64, from source: QuerySource, windowStart: WindowStart = .excluded
    ) async throws -> [RangeSeries] {
        switch source {
        case .dataDirectory(let directory):
            return try range(text, start: start, end: end, step: step, dataDirectory: directory, windowStart: windowStart)
        case .agent(let url):
            let data = try await AgentClient(baseURL: url).data(
                "/api/v1/query_range", [("query", text), ("start", seconds(start)), ("end", seconds(end)), ("step", seconds(step))])
            return try PrometheusAnswer.rangeSeries(data)
        }
    }

    /// The label sets of the series any of `selectors` selects between `start` and `end` (all
    /// time where nil), sorted.
    public static func series(_ selectors: [String], start: Int64?, end: Int64?, from source: QuerySource) async throws -> [Labels] {
        switch source {
        case .dataDirectory(let directory):
            let matcherSets = try selectors.map { try StoreCommands.matchers(selector: $0) }
            let store = try Store.openReadOnly(directory)
            defer { store.close() }
            return try SeriesLookup(store: store, budget: nil).series(
                matcherSets, minTime: start ?? APIParameters.minTime, maxTime: end ?? APIParameters.maxTime, limit: 0
            ).labels
        case .agent(let url):
            let data = try await AgentClient(baseURL: url).data(
                "/api/v1/series", selectors.map { ("match[]", $0) } + bounds(start, end))
            return try PrometheusAnswer.labelSets(data)
        }
    }

    /// Label names (`name` nil) or the values of label `name`, among the series the selectors
    /// select (all series when there are none), sorted.
    public static func labels(
        _ name: String?, matching selectors: [String], start: Int64?, end: Int64?, from source: QuerySource
    ) async throws -> [String] {
        switch source {
        case .dataDirectory(let directory):
            let matcherSets = try selectors.map { try StoreCommands.matchers(selector: $0) }
            let store = try Store.openReadOnly(directory)
            defer { store.close() }
            let lookup = SeriesLookup(store: store, budget: nil)
            let minTime = start ?? APIParameters.minTime
            let maxTime = end ?? APIParameters.maxTime
            if let name { return try lookup.labelValues(name, matcherSets, minTime: minTime, maxTime: maxTime) }
            return try lookup.labelNames(matcherSets, minTime: minTime, maxTime: maxTime)
        case .agent(let url):
            let path = name.map { "/api/v1/label/\(AgentClient.pathSegment($0))/values" } ?? "/api/v1/labels"
            let data = try await AgentClient(baseURL: url).data(path, selectors.map { ("match[]", $0) } + bounds(start, end))
            return try PrometheusAnswer.strings(data)
        }
    }

    private static func bounds(_ start: Int64?, _ end: Int64?) -> [(String, String)] {
        (start.map { [("start", seconds($0))] } ?? []) + (end.map { [("end", seconds($0))] } ?? [])
    }

    private static func seconds(_ milliseconds: Int64) -> String {
        JSONWriter.unixSeconds(milliseconds: milliseconds)
    }
}
