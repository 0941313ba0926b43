import MetricStore
import Testing
@testable import AlertEngine

/// The trees the parser builds: precedence, associativity, vector matching, modifiers and
/// literal values.
struct PromQLParserTreeTests {
    static func selector(_ name: String, _ extra: LabelMatcher...) -> Expr {
        .vectorSelector(VectorSelector(name: name, matchers: [.equal(Label.metricName, name)] + extra))
    }

    static func binary(_ op: BinaryOperator, _ lhs: Expr, _ rhs: Expr, bool: Bool = false, matching: VectorMatching? = nil) -> Expr {
        .binary(BinaryExpr(op: op, lhs: lhs, rhs: rhs, returnBool: bool, matching: matching))
    }

    struct TreeCase: CustomTestStringConvertible, Sendable {
        let input: String
        let expected: Expr
        var testDescription: String { input }
    }

    static let precedence: [TreeCase] = [
        TreeCase(input: "1 + 2 * 3", expected: binary(.add, .number(1), binary(.multiply, .number(2), .number(3)))),
        TreeCase(input: "1 * 2 + 3", expected: binary(.add, binary(.multiply, .number(1), .number(2)), .number(3))),
        TreeCase(input: "1 - 2 - 3", expected: binary(.subtract, binary(.subtract, .number(1), .number(2)), .number(3))),
        TreeCase(input: "8 / 4 / 2", expected: binary(.divide, binary(.divide, .number(8), .number(4)), .number(2))),
        TreeCase(input: "2 ^ 3 ^ 2", expected: binary(.power, .number(2), binary(.power, .number(3), .number(2)))),
        TreeCase(input: "-2 ^ 2", expected: .negation(binary(.power, .number(2), .number(2)))),
        TreeCase(input: "-2 * 3", expected: binary(.multiply, .number(-2), .number(3))),
        TreeCase(input: "2 ^ -1", expected: binary(.power, .number(2), .number(-1))),
        TreeCase(input: "2 * 3 ^ 2", expected: binary(.multiply, .number(2), binary(.power, .number(3), .number(2)))),
        TreeCase(input: "5 % 3 atan2 2", expected: binary(.atan2, binary(.modulo, .number(5), .number(3)), .number(2))),
        TreeCase(input: "-a * b", expected: binary(.multiply, .negation(selector("a")), selector("b"), matching: VectorMatching())),
        TreeCase(input: "a or b and c", expected: binary(.or, selector("a"), binary(.and, selector("b"), selector("c"), matching: VectorMatching()), matching: VectorMatching())),
        TreeCase(input: "a unless b or c", expected: binary(.or, binary(.unless, selector("a"), selector("b"), matching: VectorMatching()), selector("c"), matching: VectorMatching())),
        TreeCase(input: "a > b + 1", expected: binary(.greater, selector("a"), binary(.add, selector("b"), .number(1)), matching: VectorMatching())),
        TreeCase(input: "a == b and c", expected: binary(.and, binary(.equal, selector("a"), selector("b"), matching: VectorMatching()), selector("c"), matching: VectorMatching())),
        TreeCase(input: "(1 + 2) * 3", expected: binary(.multiply, .paren(binary(.add, .number(1), .number(2))), .number(3))),
        TreeCase(input: "-a offset 5m", expected: .negation(.vectorSelector(VectorSelector(name: "a", matchers: [.equal(Label.metricName, "a")], offset: 300_000)))),
    ]

    @Test(arguments: precedence)
    func precedenceAndAssociativity(_ testCase: TreeCase) throws {
        #expect(try PromQLParser.parse(testCase.input) == testCase.expected)
    }

    @Test func vectorMatchingDefaultsToOneToOneBetweenVectors() throws {
        #expect(try PromQLParser.parse("a + b") == Self.binary(.add, Self.selector("a"), Self.selector("b"), matching: VectorMatching()))
        #expect(try PromQLParser.parse("a + 1") == Self.binary(.add, Self.selector("a"), .number(1)))
        #expect(try PromQLParser.parse("1 + a") == Self.binary(.add, .number(1), Self.selector("a")))
        #expect(try PromQLParser.parse("1 + 2") == Self.binary(.add, .number(1), .number(2)))
    }

    @Test func vectorMatchingModifiers() throws {
        #expect(try PromQLParser.parse("a * on(x, y) group_left(z) b") == Self.binary(
            .multiply, Self.selector("a"), Self.selector("b"),
            matching: VectorMatching(cardinality: .manyToOne, labels: ["x", "y"], on: true, include: ["z"])))
        #expect(try PromQLParser.parse("a / ignoring(x) group_right b") == Self.binary(
            .divide, Self.selector("a"), Self.selector("b"),
            matching: VectorMatching(cardinality: .oneToMany, labels: ["x"], on: false, include: [])))
        #expect(try PromQLParser.parse("a and on(x) b") == Self.binary(
            .and, Self.selector("a"), Self.selector("b"), matching: VectorMatching(cardinality: .oneToOne, labels: ["x"], on: true)))
        #expect(try PromQLParser.parse("a > bool on() b") == Self.binary(
            .greater, Self.selector("a"), Self.selector("b"), bool: true, matching: VectorMatching(on: true)))
        #expect(try PromQLParser.parse("1 < bool 2") == Self.binary(.less, .number(1), .number(2), bool: true))
        // Without labels the matching clause means nothing next to a scalar and is dropped.
        #expect(try PromQLParser.parse("a + on() 1") == Self.binary(.add, Self.selector("a"), .number(1)))
    }

    @Test func selectorsIncludeTheNameMatcher() throws {
        let matcher = try LabelMatcher("c", .regex, "d.*")
        #expect(try PromQLParser.parse("foo{a=\"b\", c=~\"d.*\"}") == Self.selector("foo", .equal("a", "b"), matcher))
        #expect(try PromQLParser.parse("{\"foo\", a=\"b\"}") == .vectorSelector(VectorSelector(
            name: nil, matchers: [.equal(Label.metricName, "foo"), .equal("a", "b")])))
        #expect(try PromQLParser.parse("{__name__=~\"x.+\"}") == .vectorSelector(VectorSelector(
            name: nil, matchers: [try LabelMatcher(Label.metricName, .regex, "x.+")])))
        #expect(try PromQLParser.parse("foo{a!=\"b\",c!~\"d\"}") == Self.selector(
            "foo", try LabelMatcher("a", .notEqual, "b"), try LabelMatcher("c", .notRegex, "d")))
        // Regexes are anchored by LabelMatcher.
        guard case .vectorSelector(let parsed) = try PromQLParser.parse("foo{c=~\"d.*\"}") else {
            Issue.record("not a selector")
            return
        }
        #expect(parsed.matchers[1].matches("dx"))
        #expect(!parsed.matchers[1].matches("xd"))
    }

    @Test func keywordsAsNamesKeepTheirSpelling() throws {
        #expect(try PromQLParser.parse("sum") == Self.selector("sum"))
        #expect(try PromQLParser.parse("SUM") == Self.selector("SUM"))
        #expect(try PromQLParser.parse("offset offset 1m") == .vectorSelector(VectorSelector(
            name: "offset", matchers: [.equal(Label.metricName, "offset")], offset: 60_000)))
        #expect(try PromQLParser.parse("{on=\"x\"}") == .vectorSelector(VectorSelector(name: nil, matchers: [.equal("on", "x")])))
        #expect(try PromQLParser.parse("sum by (Bool) (x)") == .aggregate(AggregateExpr(op: .sum, expr: Self.selector("x"), grouping: ["Bool"])))
    }

    @Test func offsetsAndAtModifiers() throws {
        let foo = [LabelMatcher.equal(Label.metricName, "foo")]
        #expect(try PromQLParser.parse("foo offset 5m") == .vectorSelector(VectorSelector(name: "foo", matchers: foo, offset: 300_000)))
        #expect(try PromQLParser.parse("foo offset -1h30m") == .vectorSelector(VectorSelector(name: "foo", matchers: foo, offset: -5_400_000)))
        #expect(try PromQLParser.parse("foo offset 1.5") == .vectorSelector(VectorSelector(name: "foo", matchers: foo, offset: 1_500)))
        #expect(try PromQLParser.parse("foo[5m] offset 1m") == .matrixSelector(MatrixSelector(
            selector: VectorSelector(name: "foo", matchers: foo, offset: 60_000), range: 300_000)))
        #expect(try PromQLParser.parse("foo @ 1609746000.123") == .vectorSelector(VectorSelector(
            name: "foo", matchers: foo, at: .timestamp(1_609_746_000_123))))
        #expect(try PromQLParser.parse("foo @ -5") == .vectorSelector(VectorSelector(name: "foo", matchers: foo, at: .timestamp(-5_000))))
        #expect(try PromQLParser.parse("foo @ start()") == .vectorSelector(VectorSelector(name: "foo", matchers: foo, at: .start)))
        #expect(try PromQLParser.parse("foo[1m] @ end() offset 10s") == .matrixSelector(MatrixSelector(
            selector: VectorSelector(name: "foo", matchers: foo, offset: 10_000, at: .end), range: 60_000)))
        #expect(try PromQLParser.parse("foo @ 100 offset 1m") == .vectorSelector(VectorSelector(
            name: "foo", matchers: foo, offset: 60_000, at: .timestamp(100_000))))
    }

    @Test func subqueries() throws {
        let rate = Expr.call(FunctionCall(
            function: PromQLFunction.named("rate")!,
            args: [.matrixSelector(MatrixSelector(selector: VectorSelector(name: "x", matchers: [.equal(Label.metricName, "x")]), range: 300_000))]))
        #expect(try PromQLParser.parse("rate(x[5m])[1h:5m] offset 2m @ 100") == .subquery(SubqueryExpr(
            expr: rate, range: 3_600_000, step: 300_000, offset: 120_000, at: .timestamp(100_000))))
        #expect(try PromQLParser.parse("x[1h:]") == .subquery(SubqueryExpr(expr: Self.selector("x"), range: 3_600_000, step: nil)))
        // The selector's own offset stays inside; the subquery gets its own.
        #expect(try PromQLParser.parse("x offset 5m [1h:1m] offset 1m") == .subquery(SubqueryExpr(
            expr: .vectorSelector(VectorSelector(name: "x", matchers: [.equal(Label.metricName, "x")], offset: 300_000)),
            range: 3_600_000, step: 60_000, offset: 60_000)))
    }

    struct NumberCase: CustomTestStringConvertible, Sendable {
        let input: String
        let value: Double
        var testDescription: String { input }
    }

    static let numbers: [NumberCase] = [
        NumberCase(input: "42", value: 42),
        NumberCase(input: "0x1F", value: 31),
        NumberCase(input: "0X1f", value: 31),
        NumberCase(input: "0x_ff", value: 255),
        NumberCase(input: "1e3", value: 1000),
        NumberCase(input: "1E-2", value: 0.01),
        NumberCase(input: "2.5e+2", value: 250),
        NumberCase(input: ".5", value: 0.5),
        NumberCase(input: "5.", value: 5),
        NumberCase(input: "010", value: 8),
        NumberCase(input: "09", value: 9),
        NumberCase(input: "1_000_000", value: 1_000_000),
        NumberCase(input: "Inf", value: .infinity),
        NumberCase(input: "+Inf", value: .infinity),
        NumberCase(input: "INF", value: .infinity),
        NumberCase(input: "-inf", value: -.infinity),
        NumberCase(input: "-1.5", value: -1.5),
        NumberCase(input: "1h", value: 3600),
        NumberCase(input: "99999999999999999999", value: 1e20),
    ]

    @Test(arguments: numbers)
    func numberLiterals(_ testCase: NumberCase) throws {
        #expect(try PromQLParser.parse(testCase.input) == .number(testCase.value))
    }

    @Test(arguments: ["NaN", "nan", "-NaN", "+nAn"])
    func notANumber(_ input: String) throws {
        guard case .number(let value) = try PromQLParser.parse(input) else {
            Issue.record("\(input) is not a number literal")
            return
        }
        #expect(value.isNaN)
    }

    struct StringCase: CustomTestStringConvertible, Sendable {
        let input: String
        let value: String
        var testDescription: String { input }
    }

    static let strings: [StringCase] = [
        StringCase(input: #""a\"b""#, value: "a\"b"),
        StringCase(input: #"'it\'s'"#, value: "it's"),
        StringCase(input: #"'say "hi"'"#, value: "say \"hi\""),
        StringCase(input: #"`a\nb`"#, value: #"a\nb"#),
        StringCase(input: "`two\nlines`", value: "two\nlines"),
        StringCase(input: #""\a\b\f\n\r\t\v\\""#, value: "\u{07}\u{08}\u{0C}\n\r\t\u{0B}\\"),
        StringCase(input: #""\u00e9""#, value: "é"),
        StringCase(input: #""\U0001F600""#, value: "😀"),
        StringCase(input: #""\xe2\x82\xac""#, value: "€"),
        StringCase(input: #""\342\202\254""#, value: "€"),
        StringCase(input: #""\xff""#, value: "\u{FFFD}"),
        StringCase(input: #""""#, value: ""),
    ]

    @Test(arguments: strings)
    func stringLiterals(_ testCase: StringCase) throws {
        #expect(try PromQLParser.parse(testCase.input) == .string(testCase.value))
    }

    @Test func aggregations() throws {
        #expect(try PromQLParser.parse("topk(3, x)") == .aggregate(AggregateExpr(op: .topk, expr: Self.selector("x"), parameter: .number(3))))
        #expect(try PromQLParser.parse("count_values(\"v\", x) by (a)") == .aggregate(AggregateExpr(
            op: .countValues, expr: Self.selector("x"), parameter: .string("v"), grouping: ["a"])))
        #expect(try PromQLParser.parse("sum(x) without (a, b)") == .aggregate(AggregateExpr(
            op: .sum, expr: Self.selector("x"), grouping: ["a", "b"], without: true)))
        #expect(try PromQLParser.parse("sum without () (x)") == .aggregate(AggregateExpr(op: .sum, expr: Self.selector("x"), without: true)))
    }

    @Test func functionCallsWithOptionalAndRepeatedArguments() throws {
        guard case .call(let round) = try PromQLParser.parse("round(x)"),
              case .call(let join) = try PromQLParser.parse("label_join(x, \"d\", \",\", \"a\", \"b\")"),
              case .call(let hour) = try PromQLParser.parse("hour()") else {
            Issue.record("not calls")
            return
        }
        #expect(round.function.name == "round" && round.args == [Self.selector("x")])
        #expect(join.args.count == 5)
        #expect(hour.args.isEmpty)
    }

    struct TypeCase: CustomTestStringConvertible, Sendable {
        let input: String
        let type: ValueType
        var testDescription: String { input }
    }

    static let types: [TypeCase] = [
        TypeCase(input: "1", type: .scalar),
        TypeCase(input: "\"s\"", type: .string),
        TypeCase(input: "x", type: .instantVector),
        TypeCase(input: "x[5m]", type: .rangeVector),
        TypeCase(input: "x[5m:]", type: .rangeVector),
        TypeCase(input: "rate(x[5m])", type: .instantVector),
        TypeCase(input: "time()", type: .scalar),
        TypeCase(input: "sum(x)", type: .instantVector),
        TypeCase(input: "1 + 2", type: .scalar),
        TypeCase(input: "1 + x", type: .instantVector),
        TypeCase(input: "-(time())", type: .scalar),
    ]

    @Test(arguments: types)
    func expressionTypes(_ testCase: TypeCase) throws {
        #expect(try PromQLParser.parse(testCase.input).type == testCase.type)
    }

    @Test func commentsAndLineBreaksAreSpace() throws {
        #expect(try PromQLParser.parse("foo # first\n+ # second\r\nbar") == Self.binary(.add, Self.selector("foo"), Self.selector("bar"), matching: VectorMatching()))
    }
}
