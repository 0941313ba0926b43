import AlertEngine

/// PromQL text, as rule files, the HTTP API and `scalewatch query` hand it to the parser.
/// What parses must print as PromQL that parses again to the same text (the printer's
/// promise; `/api/v1/rules` and rule-test failures show printed expressions).
struct PromQLParserFuzzTarget: FuzzTarget {
    let name = "PromQLParser"

    func run(_ bytes: [UInt8]) {
        let text = String(decoding: bytes, as: UTF8.self)
        _ = try? PromQLParser.parseSeriesSelector(text)
        guard let expr = try? PromQLParser.parse(text) else { return }
        PromQLRoundTrip.check(expr)
    }
}

/// The printer's round trip, shared by the parser and evaluator targets.
enum PromQLRoundTrip {
    static func check(_ expr: Expr) {
        let printed = expr.description
        let reparsed: Expr
        do {
            reparsed = try PromQLParser.parse(printed)
        } catch {
            fatalError("printed expression does not parse: \(printed): \(error)")
        }
        // Text, not trees: NaN literals are never equal to themselves.
        guard reparsed.description == printed else {
            fatalError("printed expression changes when parsed again: \(printed) became \(reparsed.description)")
        }
    }
}
