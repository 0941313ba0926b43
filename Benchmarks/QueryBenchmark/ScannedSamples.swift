import AlertEngine
import MetricStore

/// How many stored samples a query's selectors read over a range query: every sample of
/// every selected series from the query start minus the selector's range (or the 5-minute
/// lookback) to the end. The throughput figure is this count over the evaluation time.
enum ScannedSamples {
    static func count(_ expr: Expr, source: Store, start: Int64, end: Int64) throws -> Int {
        var total = 0
        for (selector, window) in selectors(in: expr) {
            let series = try source.select(selector.matchers, minTime: start - window - selector.offset, maxTime: end - selector.offset)
            total += series.reduce(0) { $0 + $1.samples.count }
        }
        return total
    }

    private static func selectors(in expr: Expr) -> [(VectorSelector, Int64)] {
        switch expr {
        case .vectorSelector(let selector): return [(selector, 300_000)]
        case .matrixSelector(let matrix): return [(matrix.selector, matrix.range)]
        case .subquery(let subquery): return selectors(in: subquery.expr)
        case .call(let call): return call.args.flatMap(selectors(in:))
        case .aggregate(let aggregate): return selectors(in: aggregate.expr) + (aggregate.parameter.map(selectors(in:)) ?? [])
        case .binary(let binary): return selectors(in: binary.lhs) + selectors(in: binary.rhs)
        case .negation(let inner), .paren(let inner): return selectors(in: inner)
        case .number, .string: return []
        }
    }
}
