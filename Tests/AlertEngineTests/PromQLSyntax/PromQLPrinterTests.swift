import MetricStore
import Testing
@testable import AlertEngine

/// Trees built by hand rather than parsed: the printer adds the parentheses and quoting their
/// meaning needs, and the text parses back to an expression that evaluates the same way.
struct PromQLPrinterTests {
    private static func vector(_ name: String) -> Expr {
        .vectorSelector(VectorSelector(name: name, matchers: [.equal(Label.metricName, name)]))
    }

    private static func binary(_ op: BinaryOperator, _ lhs: Expr, _ rhs: Expr) -> Expr {
        .binary(BinaryExpr(op: op, lhs: lhs, rhs: rhs))
    }

    struct Case: CustomTestStringConvertible, Sendable {
        let expr: Expr
        let text: String
        var testDescription: String { text }
    }

    static let cases: [Case] = [
        Case(expr: binary(.multiply, binary(.add, .number(1), .number(2)), .number(3)), text: "(1 + 2) * 3"),
        Case(expr: binary(.subtract, .number(1), binary(.subtract, .number(2), .number(3))), text: "1 - (2 - 3)"),
        Case(expr: binary(.subtract, binary(.subtract, .number(1), .number(2)), .number(3)), text: "1 - 2 - 3"),
        Case(expr: binary(.power, binary(.power, .number(2), .number(3)), .number(2)), text: "(2 ^ 3) ^ 2"),
        Case(expr: binary(.power, .number(2), binary(.power, .number(3), .number(2))), text: "2 ^ 3 ^ 2"),
        Case(expr: binary(.power, .number(-2), .number(2)), text: "(-2) ^ 2"),
        Case(expr: binary(.power, .negation(vector("x")), .number(2)), text: "(-x) ^ 2"),
        Case(expr: .negation(binary(.add, vector("a"), vector("b"))), text: "-(a + b)"),
        Case(expr: .negation(binary(.power, vector("a"), .number(2))), text: "-a ^ 2"),
        Case(expr: .subquery(SubqueryExpr(expr: binary(.add, vector("a"), vector("b")), range: 60_000, step: nil)), text: "(a + b)[1m:]"),
        Case(expr: .subquery(SubqueryExpr(expr: .negation(vector("a")), range: 60_000, step: 1_000)), text: "(-a)[1m:1s]"),
        Case(expr: .vectorSelector(VectorSelector(name: "bool", matchers: [])), text: "{__name__=\"bool\"}"),
        Case(expr: .vectorSelector(VectorSelector(name: "NaN", matchers: [.equal(Label.metricName, "NaN")])), text: "{__name__=\"NaN\"}"),
        Case(expr: .vectorSelector(VectorSelector(name: "http.requests", matchers: [.equal(Label.metricName, "http.requests")])), text: "{__name__=\"http.requests\"}"),
        Case(expr: .vectorSelector(VectorSelector(name: "up", matchers: [])), text: "up"),
        Case(expr: .aggregate(AggregateExpr(op: .sum, expr: vector("x"), grouping: ["k8s.pod", "job"])), text: "sum by (\"k8s.pod\", job) (x)"),
        Case(expr: .vectorSelector(VectorSelector(name: "x", matchers: [.equal(Label.metricName, "x")], at: .timestamp(-1_500))), text: "x @ -1.500"),
    ]

    @Test(arguments: cases)
    func printsWhatTheTreeMeans(_ testCase: Case) throws {
        #expect(testCase.expr.description == testCase.text)
        let reparsed = try PromQLParser.parse(testCase.text)
        #expect(reparsed.description == testCase.text)
    }
}
