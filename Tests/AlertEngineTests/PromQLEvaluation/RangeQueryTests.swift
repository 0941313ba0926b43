import AlertEngine
import MetricStore
import Testing

/// Range queries evaluate each node once over all steps; every step must still agree with
/// an instant query at that time, and steps fall on start + k·step.
struct RangeQueryTests {
    /// Irregular data: a counter with a reset, a gap, a stale marker, a late series, NaN.
    static let source: MemorySampleSource = {
        var source = MemorySampleSource()
        func add(_ labels: KeyValuePairs<String, String>, _ points: [(Int64, Double)]) {
            source.append(Labels(labels), points.map { point -> Sample in Sample(timestamp: point.0 * 1000, value: point.1) })
        }
        let steps = Array(Int64(0)..<120)
        add(["__name__": "requests_total", "job": "api", "instance": "a"], steps.map { i -> (Int64, Double) in
            (i * 15, Double(i < 60 ? i * 3 : (i - 60) * 2))
        })
        add(["__name__": "requests_total", "job": "api", "instance": "b"], steps.filter { $0 % 7 != 3 }.map { i -> (Int64, Double) in
            (i * 15 + 4, Double(i * 5))
        })
        add(["__name__": "requests_total", "job": "web", "instance": "c"], steps.dropFirst(40).map { i -> (Int64, Double) in
            (i * 15 + 9, Double(i))
        })
        let temperatureA: [(Int64, Double)] = steps.prefix(60).map { i -> (Int64, Double) in (i * 30, Double(i % 11) - 4) }
        add(["__name__": "temperature", "job": "api", "instance": "a"], temperatureA + [(1800, StaleMarker.value)])
        add(["__name__": "temperature", "job": "web", "instance": "c"], steps.map { i -> (Int64, Double) in
            (i * 15, i == 50 ? Double.nan : Double(i % 5))
        })
        for (bound, factor) in [("1", 1.0), ("5", 3.0), ("+Inf", 4.0)] {
            add(["__name__": "bucket", "le": bound, "job": "api"], steps.map { i -> (Int64, Double) in (i * 15, Double(i) * factor) })
        }
        return source
    }()

    static let queries = [
        "requests_total", "requests_total offset 1m", "rate(requests_total[1m])", "irate(requests_total[2m])",
        "increase(requests_total[5m])", "delta(temperature[3m])", "deriv(temperature[5m])", "resets(requests_total[10m])",
        "changes(temperature[4m])", "avg_over_time(temperature[2m])", "max_over_time(temperature[90s])",
        "last_over_time(temperature[1m])", "quantile_over_time(0.9, temperature[5m])", "stddev_over_time(temperature[3m])",
        "sum by (job) (rate(requests_total[2m]))", "count by (job) ({__name__=~\".+\"})", "avg without (instance) (temperature)",
        "topk(1, requests_total)", "bottomk by (job) (1, temperature)", "quantile(0.3, requests_total)",
        "count_values(\"v\", temperature)", "stdvar(requests_total)", "group by (job) (temperature)",
        "requests_total / on(job, instance) group_left temperature", "requests_total > bool 100",
        "temperature > 2", "requests_total and temperature", "temperature or requests_total", "requests_total unless temperature",
        "sum by (job) (requests_total) / ignoring(job) group_left sum(requests_total)",
        "histogram_quantile(0.5, rate(bucket[2m]))", "absent(temperature{job=\"api\"})", "absent_over_time(temperature{job=\"api\"}[2m])",
        "timestamp(temperature)", "scalar(temperature{job=\"web\"}) * requests_total", "time() - timestamp(requests_total)",
        "max_over_time(rate(requests_total[1m])[5m:30s])", "sum_over_time(temperature[2m:20s] offset 30s)",
        "label_replace(temperature, \"host\", \"$1\", \"instance\", \"(.*)\")", "clamp(temperature, -1, 3)", "-temperature",
        "vector(1)", "minute()", "temperature @ 600", "rate(requests_total[2m] @ 900)",
    ]

    @Test(arguments: queries)
    func stepsAgreeWithInstantQueries(_ query: String) throws {
        let engine = QueryEngine(source: Self.source)
        let expr = try PromQLParser.parse(query)
        let start: Int64 = 90_000, end: Int64 = 1_800_000, step: Int64 = 45_000
        let range = try engine.rangeQuery(expr, start: start, end: end, step: step)
        for time in stride(from: start, through: end, by: Int(step)) {
            var fromRange: [Labels: Double] = [:]
            for series in range {
                if let point = series.points.first(where: { $0.timestamp == time }) { fromRange[series.labels] = point.value }
            }
            var fromInstant: [Labels: Double] = [:]
            switch try engine.instantQuery(expr, at: Int64(time)) {
            case let .vector(samples): for sample in samples { fromInstant[sample.labels] = sample.value }
            case let .scalar(value): fromInstant[.empty] = value
            default: Issue.record("\(query): unexpected result type")
            }
            #expect(Set(fromRange.keys) == Set(fromInstant.keys), "\(query) at \(time)")
            for (labels, value) in fromInstant {
                let other = fromRange[labels] ?? -.greatestFiniteMagnitude
                #expect(value.isNaN && other.isNaN || value == other, "\(query) at \(time) \(labels): \(value) vs \(other)")
            }
        }
    }

    @Test func stepsStartAtTheStartTime() throws {
        let engine = QueryEngine(source: Self.source)
        let range = try engine.rangeQuery(try PromQLParser.parse("time()"), start: 7_000, end: 100_000, step: 30_000)
        #expect(range == [RangeSeries(labels: .empty, points: [
            Sample(timestamp: 7_000, value: 7), Sample(timestamp: 37_000, value: 37), Sample(timestamp: 67_000, value: 67),
            Sample(timestamp: 97_000, value: 97),
        ])])
    }

    @Test func seriesAreSortedByLabelsAndEmptyOnesLeftOut() throws {
        let engine = QueryEngine(source: Self.source)
        let range = try engine.rangeQuery(try PromQLParser.parse("requests_total"), start: 0, end: 300_000, step: 60_000)
        #expect(range.map { $0.labels["instance"] } == ["a", "b"])
    }

    static let refused: [(query: String, start: Int64, end: Int64, step: Int64, message: String)] = [
        ("requests_total[5m]", 0, 60_000, 15_000,
         "invalid expression type \"range vector\" for range query, must be Scalar or instant Vector"),
        ("\"text\"", 0, 60_000, 15_000, "invalid expression type \"string\" for range query, must be Scalar or instant Vector"),
        ("requests_total", 0, 60_000, 0, "zero or negative query resolution step widths are not accepted. Try a positive integer"),
        ("requests_total", 60_000, 0, 15_000, "end timestamp must not be before start time"),
    ]

    @Test(arguments: refused)
    func refusedRangeQueries(_ entry: (query: String, start: Int64, end: Int64, step: Int64, message: String)) throws {
        let engine = QueryEngine(source: Self.source)
        let expr = try PromQLParser.parse(entry.query)
        #expect(throws: PromQLEvaluationError.self) { try engine.rangeQuery(expr, start: entry.start, end: entry.end, step: entry.step) }
        do {
            _ = try engine.rangeQuery(expr, start: entry.start, end: entry.end, step: entry.step)
        } catch {
            #expect(error.description == entry.message)
        }
    }
}
