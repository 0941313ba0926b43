import AlertEngine
import MetricStore

/// What `scalewatch query` does: PromQL over a data directory opened read-only, so it works
/// beside a running agent and never changes what it reads.
public enum QueryCommands {
    public static func instant(_ text: String, at time: Int64, dataDirectory: String) throws -> QueryValue {
        let expr = try PromQLParser.parse(text)
        let store = try Store.openReadOnly(dataDirectory)
        defer { store.close() }
        return try QueryEngine(source: store).instantQuery(expr, at: time)
    }

    public static func range(_ text: String, start: Int64, end: Int64, step: Int64, dataDirectory: String) throws -> [RangeSeries] {
        let expr = try PromQLParser.parse(text)
        let store = try Store.openReadOnly(dataDirectory)
        defer { store.close() }
        return try QueryEngine(source: store, defaultSubqueryStep: step).rangeQuery(expr, start: start, end: end, step: step)
    }
}
