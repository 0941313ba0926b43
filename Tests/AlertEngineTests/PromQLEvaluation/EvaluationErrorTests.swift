@testable import AlertEngine
import MetricStore
import Testing

/// Errors the parser cannot rule out, and those of hand-built trees, say what went wrong.
struct EvaluationErrorTests {
    static let selector = Expr.vectorSelector(VectorSelector(name: "x", matchers: [.equal("__name__", "x")]))

    static let cases: [(name: String, expr: Expr, message: String)] = [
        ("matrix where a vector belongs",
         .aggregate(AggregateExpr(op: .sum, expr: .matrixSelector(MatrixSelector(selector: VectorSelector(name: "x", matchers: [.equal("__name__", "x")]), range: 60_000)))),
         "expected type instant vector, got range vector"),
        ("string where a scalar belongs",
         .call(FunctionCall(function: PromQLFunction.named("vector")!, args: [.string("a")])),
         "expected type scalar, got string"),
        ("vector where a range vector belongs",
         .call(FunctionCall(function: PromQLFunction.named("rate")!, args: [selector])),
         "expected type range vector, got instant vector"),
        ("set operator between scalars",
         .binary(BinaryExpr(op: .and, lhs: .number(1), rhs: .number(2))),
         "set operator \"and\" not allowed in binary scalar expression"),
        ("topk's k too large",
         .aggregate(AggregateExpr(op: .topk, expr: selector, parameter: .number(1e19))),
         "Scalar value 10000000000000000000 overflows int64"),
        ("topk's k too small",
         .aggregate(AggregateExpr(op: .bottomk, expr: selector, parameter: .number(-1e19))),
         "Scalar value -10000000000000000000 underflows int64"),
        ("unknown function",
         .call(FunctionCall(function: PromQLFunction("holt_winters", [.rangeVector, .scalar, .scalar], returns: .instantVector), args: [])),
         "unknown function with name \"holt_winters\""),
        ("missing argument",
         .call(FunctionCall(function: PromQLFunction.named("vector")!, args: [])),
         "expected at least 1 argument(s) in call to \"vector\", got 0"),
        ("missing parameter",
         .aggregate(AggregateExpr(op: .quantile, expr: selector)),
         "quantile requires a parameter"),
        ("label_replace with an empty destination",
         .call(FunctionCall(function: PromQLFunction.named("label_replace")!, args: [selector, .string(""), .string("a"), .string("b"), .string(".*")])),
         "invalid destination label name in label_replace(): "),
        ("label_join with an empty source",
         .call(FunctionCall(function: PromQLFunction.named("label_join")!, args: [selector, .string("d"), .string(","), .string("")])),
         "invalid source label name in label_join(): "),
        ("zero subquery step",
         .call(FunctionCall(function: PromQLFunction.named("rate")!, args: [.subquery(SubqueryExpr(expr: selector, range: 60_000, step: 0))])),
         "subquery step must be positive, got 0ms"),
    ]

    @Test(arguments: cases)
    func refused(_ entry: (name: String, expr: Expr, message: String)) {
        var source = MemorySampleSource()
        source.append(Labels(["__name__": "x"]), timestamp: 0, value: 1)
        let engine = QueryEngine(source: source)
        #expect(throws: PromQLEvaluationError.self, "\(entry.name)") { try engine.instantQuery(entry.expr, at: 0) }
        do {
            _ = try engine.instantQuery(entry.expr, at: 0)
        } catch {
            #expect(error.description == entry.message, "\(entry.name)")
        }
    }

    struct FailingSource: SampleSource {
        struct Broken: Error, CustomStringConvertible { var description: String { "disk on fire" } }
        func select(_ matchers: [LabelMatcher], minTime: Int64, maxTime: Int64) throws -> [SeriesSamples] { throw Broken() }
    }

    @Test func sourceFailuresAreReported() {
        let engine = QueryEngine(source: FailingSource())
        #expect(throws: PromQLEvaluationError.source("disk on fire")) { try engine.instantQuery(Self.selector, at: 0) }
    }

    static let formats: [(Double, String)] = [
        (1, "1"), (-0.0, "-0"), (0, "0"), (0.1, "0.1"), (100, "100"), (1e21, "1000000000000000000000"),
        (1.5e-7, "0.00000015"), (123.456, "123.456"), (-2.5, "-2.5"), (.nan, "NaN"), (.infinity, "+Inf"), (-.infinity, "-Inf"),
        (1.7976931348623157e308, "179769313486231570" + String(repeating: "0", count: 291)),
    ]

    @Test(arguments: formats)
    func floatsAreFormattedLikeGo(_ entry: (Double, String)) {
        #expect(GoFloatFormat.shortestFixed(entry.0) == entry.1)
    }
}
