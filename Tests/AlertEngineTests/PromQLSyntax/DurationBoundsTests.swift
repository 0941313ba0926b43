import MetricStore
import Testing

@testable import AlertEngine

/// Durations at and past Prometheus' limit (Int64 nanoseconds, about 292 years) in PromQL:
/// a located error or a valid tree, never an overflow.
struct DurationBoundsTests {
    struct Refused: Sendable, CustomTestStringConvertible {
        let input: String
        let message: String
        let position: Int
        var testDescription: String { input }
    }

    @Test(arguments: [
        // Once parsed into an offset whose use overflowed Int64 milliseconds.
        Refused(input: "node_load1 offset -292471208y", message: "duration out of range: \"292471208y\"", position: 19),
        Refused(input: "node_load1 offset 292471208y", message: "duration out of range: \"292471208y\"", position: 18),
        Refused(input: "x[293y]", message: "duration out of range: \"293y\"", position: 2),
        Refused(input: "x[5m:106751d23h47m16s855ms]", message: "duration out of range: \"106751d23h47m16s855ms\"", position: 5),
        Refused(input: "x offset -9223372037", message: "duration out of range: \"9223372037\"", position: 10),
        Refused(input: "x[1e300]", message: "duration out of range: \"1e300\"", position: 2),
        Refused(input: "x @ 1e19", message: "timestamp out of bounds for @ modifier", position: 4),
        Refused(input: "x @ -1e30", message: "timestamp out of bounds for @ modifier", position: 5),
    ])
    func refusesWithPosition(_ refused: Refused) {
        do {
            let parsed = try PromQLParser.parse(refused.input)
            Issue.record("parsed as \(parsed)")
        } catch {
            #expect(error.message.contains(refused.message), "\(error.message)")
            #expect(error.position == refused.position)
        }
    }

    @Test func largestOffsetsAndRangesParse() throws {
        let matchers = [LabelMatcher.equal(Label.metricName, "x")]
        let longest = PrometheusDuration.maxMilliseconds
        #expect(try PromQLParser.parse("x offset -106751d23h47m16s854ms")
            == .vectorSelector(VectorSelector(name: "x", matchers: matchers, offset: -longest)))
        #expect(try PromQLParser.parse("x[292y]")
            == .matrixSelector(MatrixSelector(selector: VectorSelector(name: "x", matchers: matchers), range: 292 * 31_536_000_000)))
        // How many steps that is to evaluate is the evaluator's limit to enforce, not the parser's.
        #expect(try PromQLParser.parse("x[1y:1ms]")
            == .subquery(SubqueryExpr(expr: .vectorSelector(VectorSelector(name: "x", matchers: matchers)), range: 31_536_000_000, step: 1)))
    }

    @Test(arguments: ["x offset -106751d23h47m16s854ms", "x[292y:1ms]", "x[5m] offset 1y"])
    func printsWhatItParses(_ input: String) throws {
        #expect(try PromQLParser.parse(input).description == input)
    }
}
