import AlertEngine
import MetricStore

/// A range query as `/api/v1/query_range` evaluates it, for the pictures.
struct RangeQuery: Sendable {
    let expr: Expr
    let start: Int64
    let end: Int64
    let step: Int64

    func run(_ budget: QueryBudget, _ settings: QuerySettings) throws -> [RangeSeries] {
        try Self.engine(budget, settings).rangeQuery(expr, start: start, end: end, step: step)
    }

    /// The engine the API's query endpoints use, with the configured lookback.
    static func engine(_ budget: QueryBudget, _ settings: QuerySettings) -> QueryEngine {
        QueryEngine(
            source: budget, lookbackDelta: settings.lookbackDelta.milliseconds, defaultSubqueryStep: QueryEndpoints.defaultSubqueryStep)
    }
}
