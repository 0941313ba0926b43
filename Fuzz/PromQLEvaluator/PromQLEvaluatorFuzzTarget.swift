import AlertEngine

/// PromQL evaluation: a well-typed expression drawn from the input
/// (`PromQLExpressionGenerator`), evaluated as an instant query and as a range query over
/// `PromQLFuzzSeries`. Evaluation errors are fine; a trap, a hang (libFuzzer's `-timeout`) or
/// an allocation past `-rss_limit_mb` is a finding. The first bytes choose the query times,
/// the rest the expression.
struct PromQLEvaluatorFuzzTarget: FuzzTarget {
    let name = "PromQLEvaluator"

    func run(_ bytes: [UInt8]) {
        var input = FuzzBytes(bytes)
        let span = PromQLFuzzSeries.end - PromQLFuzzSeries.start
        // Times from before the data to after it, where lookback and ranges run out.
        let time = PromQLFuzzSeries.start - 600_000 + Int64(input.byte()) * (span + 1_200_000) / 255
        let step = [15_000, 60_000, 300_000, 7_000][input.choose(4)] as Int64
        let steps = Int64(input.choose(60))
        let type: ValueType = input.choose(4) == 0 ? .scalar : .instantVector
        var generator = PromQLExpressionGenerator(input)
        let text = generator.expression(type)
        guard let expr = try? PromQLParser.parse(text) else { return }
        PromQLRoundTrip.check(expr)
        let engine = QueryEngine(source: PromQLFuzzSeries.source)
        _ = try? engine.instantQuery(expr, at: time)
        _ = try? engine.rangeQuery(expr, start: time, end: time + steps * step, step: step)
    }
}
