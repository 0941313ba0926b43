import AlertEngine

/// PromQL evaluation: a well-typed expression drawn from the input
/// (`PromQLExpressionGenerator`), evaluated as an instant query and as a range query over
/// `PromQLFuzzSeries`. Evaluation errors are fine; a trap, a hang (libFuzzer's `-timeout`) or
/// an allocation past `-rss_limit_mb` is a finding. The first bytes choose the query times,
/// the rest the expression.
struct PromQLEvaluatorFuzzTarget: FuzzTarget {
    let name = "PromQLEvaluator"

    struct Query {
        let text: String
        let time: Int64
        let step: Int64
        let end: Int64
    }

    static func query(_ bytes: [UInt8]) -> Query {
        var input = FuzzBytes(bytes)
        let span = PromQLFuzzSeries.end - PromQLFuzzSeries.start
        // Times from before the data to after it, where lookback and ranges run out.
        let time = PromQLFuzzSeries.start - 600_000 + Int64(input.byte()) * (span + 1_200_000) / 255
        let step = [15_000, 60_000, 300_000, 7_000][input.choose(4)] as Int64
        let steps = Int64(input.choose(60))
        let type: ValueType = input.choose(4) == 0 ? .scalar : .instantVector
        var generator = PromQLExpressionGenerator(input)
        return Query(text: generator.expression(type), time: time, step: step, end: time + steps * step)
    }

    func run(_ bytes: [UInt8]) {
        let query = Self.query(bytes)
        guard let expr = try? PromQLParser.parse(query.text) else { return }
        PromQLRoundTrip.check(expr)
        let engine = QueryEngine(source: PromQLFuzzSeries.source)
        _ = try? engine.instantQuery(expr, at: query.time)
        _ = try? engine.rangeQuery(expr, start: query.time, end: query.end, step: query.step)
    }

    func describe(_ bytes: [UInt8]) -> String? {
        let query = Self.query(bytes)
        return "\(query.text)\ninstant at \(query.time); range from \(query.time) to \(query.end) step \(query.step) (ms)"
    }
}
