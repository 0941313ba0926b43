@testable import AlertEngine
import MetricStore
import Testing

/// Grids the evaluator would have to allocate in full are refused with Prometheus' errors
/// before anything is allocated: a year at 1 ms asked for 252 GB and crashed the process.
struct QueryGridLimitTests {
    private let engine: QueryEngine = {
        var source = MemorySampleSource()
        source.append(Labels(["__name__": "node_load1"]), timestamp: 0, value: 1)
        return QueryEngine(source: source)
    }()
    private let year: Int64 = 365 * 86_400_000

    @Test func aRangeQueryOfMoreThan11000PointsIsRefused() throws {
        let expr = try PromQLParser.parse("vector(1)")
        #expect(throws: PromQLEvaluationError.invalidParameter(
            "exceeded maximum resolution of 11,000 points per timeseries. Try decreasing the query resolution (?step=XX)")) {
            try engine.rangeQuery(expr, start: 0, end: year, step: 1)
        }
        // 11,000 points exactly is still answered.
        let series = try engine.rangeQuery(expr, start: 0, end: 10_999, step: 1)
        #expect(series.first?.points.count == 11_000)
    }

    @Test func theWholeTimeRangeAtOneMillisecondIsRefusedWithoutOverflow() throws {
        #expect(throws: PromQLEvaluationError.self) {
            try engine.rangeQuery(try PromQLParser.parse("vector(1)"), start: .min, end: .max, step: 1)
        }
        #expect(EvaluationSteps.count(from: .min, through: .max, interval: 1) == .max)
        #expect(EvaluationSteps.count(from: .min, through: .max, interval: .max) == 3)
    }

    @Test(arguments: ["max_over_time(node_load1[1y:1ms])", "count_over_time(vector(1)[292y:1ms])"])
    func aSubqueryGridLongerThanTheSampleLimitIsRefused(_ text: String) throws {
        #expect(throws: PromQLEvaluationError.tooManySamples) { try engine.instantQuery(try PromQLParser.parse(text), at: 0) }
        #expect(PromQLEvaluationError.tooManySamples.description
            == "query processing would load too many samples into memory in query execution")
    }

    @Test func subqueriesAtTheEndsOfTimeDoNotOverflow() throws {
        for time in [Int64.min, Int64.min + 1, Int64.max - 1, Int64.max] {
            _ = try engine.instantQuery(try PromQLParser.parse("max_over_time(vector(1)[1m:10s])"), at: time)
        }
    }
}
