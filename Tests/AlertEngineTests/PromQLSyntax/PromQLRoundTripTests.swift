import Testing
@testable import AlertEngine

/// Valid queries: each parses, prints in Prometheus' canonical layout, and the printed text
/// parses back to the same tree.
struct PromQLRoundTripTests {
    struct Case: CustomTestStringConvertible, Sendable {
        let input: String
        /// The canonical text; nil when it is the input itself.
        let canonical: String?
        var testDescription: String { input }

        init(_ input: String, _ canonical: String? = nil) {
            self.input = input
            self.canonical = canonical
        }
    }

    static let cases: [Case] = [
        // Selectors.
        Case("foo"),
        Case("foo{bar=\"baz\"}"),
        Case("foo{bar=\"baz\", qux!=\"quux\"}", "foo{bar=\"baz\",qux!=\"quux\"}"),
        Case("foo{a=~\"b|c\",d!~\"e.*\"}"),
        Case("{__name__=~\"job:.*\"}"),
        Case("{job=\"api\",instance=~\"10\\\\..*\"}"),
        Case("foo{}", "foo"),
        Case("foo{a=\"b\",}", "foo{a=\"b\"}"),
        Case("{\"http.requests.total\"}", "{__name__=\"http.requests.total\"}"),
        Case("{\"service.name\"=\"api\", job=\"x\"}", "{\"service.name\"=\"api\",job=\"x\"}"),
        Case("foo{a='single'}", "foo{a=\"single\"}"),
        Case("foo{a=\"line\\nbreak\"}"),
        Case("job:request_rate:5m{job=\"x\"}"),
        Case(":leading:colon"),
        // Keywords standing for metric names.
        Case("sum"),
        Case("sum + 1"),
        Case("by"),
        Case("offset"),
        Case("foo offset 5m + offset"),
        Case("without{a=\"b\"}"),
        Case("start + end"),
        Case("and and and"),
        // Ranges, offsets, @.
        Case("foo[5m]"),
        Case("foo[90m]", "foo[1h30m]"),
        Case("foo[300]", "foo[5m]"),
        Case("foo[1.5]", "foo[1s500ms]"),
        Case("foo[7d]", "foo[1w]"),
        Case("foo[8d]"),
        Case("foo[365d]", "foo[1y]"),
        Case("foo[1y2w]", "foo[379d]"),
        Case("foo[100ms]"),
        Case("foo offset 5m"),
        Case("foo offset -5m"),
        Case("foo OFFSET 1h", "foo offset 1h"),
        Case("foo offset 30", "foo offset 30s"),
        Case("foo[5m] offset 1w"),
        Case("foo @ 1609746000", "foo @ 1609746000.000"),
        Case("foo @ 1609746000.5", "foo @ 1609746000.500"),
        Case("foo @ -100", "foo @ -100.000"),
        Case("foo @ start()"),
        Case("foo @ end()"),
        Case("foo offset 5m @ 100", "foo @ 100.000 offset 5m"),
        Case("foo[5m] @ end() offset 1m"),
        Case("foo[5m] offset 1m @ 60", "foo[5m] @ 60.000 offset 1m"),
        // Subqueries.
        Case("rate(foo[5m])[30m:1m]"),
        Case("rate(foo[5m])[30m:]"),
        Case("foo[1h:5m] @ start() offset 10m"),
        Case("(a + b)[5m:]"),
        Case("foo offset 5m[1h:1m]"),
        Case("max_over_time(rate(foo[5m])[1h:5m] offset 1h)"),
        Case("min_over_time((foo > bool 0)[1h:])"),
        // Aggregations.
        Case("sum(rate(x[5m])) by (job)", "sum by (job) (rate(x[5m]))"),
        Case("sum by (job) (rate(x[5m]))"),
        Case("sum by(job, instance,) (x)", "sum by (job, instance) (x)"),
        Case("sum without (instance) (x)"),
        Case("sum without () (x)"),
        Case("sum by () (x)", "sum(x)"),
        Case("avg(x) without (a, b)", "avg without (a, b) (x)"),
        Case("count(x)"),
        Case("max by (a) (x)"),
        Case("min(x)"),
        Case("group(x)"),
        Case("stddev(x)"),
        Case("stdvar(x)"),
        Case("topk(3, x)"),
        Case("bottomk(5, rate(x[1m]))"),
        Case("quantile(0.9, x)"),
        Case("count_values(\"value\", x)"),
        Case("SUM BY (job) (x)", "sum by (job) (x)"),
        Case("sum by (on, by, bool, offset) (x)"),
        Case("sum by (\"service.name\") (x)"),
        // Binary operators.
        Case("a + b"),
        Case("a - b * c / d % e"),
        Case("a ^ b"),
        Case("a atan2 b"),
        Case("a == b"),
        Case("a != b"),
        Case("a > b"),
        Case("a < b"),
        Case("a >= b"),
        Case("a <= b"),
        Case("a > bool b"),
        Case("1 > bool 2"),
        Case("a and b"),
        Case("a or b"),
        Case("a unless b"),
        Case("a AND b", "a and b"),
        Case("a + on(b) c", "a + on (b) c"),
        Case("a + ignoring (b) c"),
        Case("a + ignoring () c", "a + c"),
        Case("a + on () c"),
        Case("a * on (b) group_left (c) d"),
        Case("a * on(b) group_left d", "a * on (b) group_left () d"),
        Case("a * ignoring (b) group_right (c, e) d"),
        Case("a and on (b) c"),
        Case("a == bool on (b) c"),
        Case("foo / ignoring (code) group_left sum by (job) (bar)", "foo / ignoring (code) group_left () sum by (job) (bar)"),
        Case("foo and on (instance) bar or baz unless qux"),
        Case("1 + 2 * 3"),
        Case("(1 + 2) * 3"),
        Case("2 ^ 3 ^ 2"),
        Case("(2 ^ 3) ^ 2"),
        Case("a - (b - c)"),
        Case("foo{a=\"b\"} offset 5m * 2"),
        // Unary operators and numbers.
        Case("-2 ^ 2"),
        Case("-foo"),
        Case("- foo", "-foo"),
        Case("- - foo", "--foo"),
        Case("-(foo + bar)"),
        Case("+foo", "foo"),
        Case("-1"),
        Case("+1", "1"),
        Case("1 - -1"),
        Case("1 - - 1", "1 - -1"),
        Case("foo * -1"),
        Case("2 * -3 ^ 2"),
        Case("1e3", "1000"),
        Case(".5", "0.5"),
        Case("0x1F", "31"),
        Case("1_000", "1000"),
        Case("010", "8"),
        Case("Inf", "+Inf"),
        Case("-inf", "-Inf"),
        Case("1e-7", "0.0000001"),
        Case("1.5e20", "150000000000000000000"),
        Case("5m", "300"),
        // Strings.
        Case("\"hello\""),
        Case("'single'", "\"single\""),
        Case("`raw\\n`", "\"raw\\\\n\""),
        Case("\"tab\\there\""),
        Case("\"\\x41\\u00e9\\101\"", "\"AéA\""),
        // Runes, not graphemes (found by fuzzing): a combining mark after an escape's last digit,
        // or after a closing quote, is a rune of its own, as in Go's lexer.
        Case("up{a=\"\\x41\u{301}\"}", "up{a=\"A\u{301}\"}"),
        Case("up{a=\"\\x00\u{5a7}\"}", "up{a=\"\\x00\u{5a7}\"}"),
        Case("\"\\101\u{301}\"", "\"A\u{301}\""),
        // Functions.
        Case("rate(foo[5m])"),
        Case("rate(foo[5m] offset 1h)"),
        Case("time()"),
        Case("vector(time())"),
        Case("scalar(foo)"),
        Case("pi()"),
        Case("round(foo)"),
        Case("round(foo, 0.5)"),
        Case("clamp(foo, 0, 1)"),
        Case("label_replace(up, \"dst\", \"$1\", \"src\", \"(.*)\")"),
        Case("label_join(up, \"dst\", \",\", \"a\", \"b\", \"c\")"),
        Case("histogram_quantile(0.99, sum by (le) (rate(http_request_duration_seconds_bucket[5m])))"),
        Case("absent(nonexistent{job=\"x\"})"),
        Case("day_of_week()"),
        Case("hour(foo)"),
        Case("predict_linear(foo[1h], 3600)"),
        Case("quantile_over_time(0.5, foo[10m])"),
        // Layout that does not survive printing.
        Case("(foo)"),
        Case("((foo))"),
        Case("foo # a comment", "foo"),
        Case("sum by (job) (\n  rate(x[5m])  # per second\n)\n", "sum by (job) (rate(x[5m]))"),
    ]

    @Test(arguments: cases)
    func printsCanonicallyAndReparses(_ testCase: Case) throws {
        let parsed = try PromQLParser.parse(testCase.input)
        let printed = parsed.description
        #expect(printed == (testCase.canonical ?? testCase.input))
        let reparsed = try PromQLParser.parse(printed)
        #expect(reparsed == parsed)
        #expect(reparsed.description == printed)
    }
}
