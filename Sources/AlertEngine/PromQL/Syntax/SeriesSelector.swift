import MetricStore

extension PromQLParser {
    /// A series selector on its own (`up`, `node_cpu_seconds_total{mode!="idle"}`,
    /// `{__name__=~"pg_.*"}`), as Prometheus' `match[]` parameters and `--match` flags take
    /// it: PromQL's own selector grammar and errors, without offset or `@`.
    public static func parseSeriesSelector(_ input: String) throws(PromQLParseError) -> [LabelMatcher] {
        let expr = try parse(input)
        guard case .vectorSelector(let selector) = expr, selector.offset == 0, selector.at == nil else {
            throw PromQLParseError(
                message: "expected a series selector such as up or {job=\"node\"}, got \(expr.type.rawValue) expression",
                position: 0, input: input)
        }
        return selector.matchers
    }
}
