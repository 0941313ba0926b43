@testable import AlertEngine
import MetricStore
import Testing
import TestSupport

/// rate, increase, max_over_time and min_over_time keep a summary as their window slides;
/// at every step the result must be bit for bit the rescan of that step's window.
struct SlidingWindowTests {
    /// Irregular timestamps with gaps; a counter with resets, repeats, NaN, -0 and +0.
    static func series(seed: UInt64) -> [Sample] {
        var random = SplitMix64(seed: seed)
        var samples: [Sample] = []
        var time: Int64 = 0
        var counter = 0.0
        for _ in 0..<400 {
            time += Int.random(in: 0..<10, using: &random) == 0 ? Int64(30_000 + Int.random(in: 0..<90_000, using: &random)) : Int64(1_000 + Int.random(in: 0..<14_000, using: &random))
            switch Int.random(in: 0..<20, using: &random) {
            case 0: counter = Double(Int.random(in: 0..<5, using: &random))   // a reset
            case 1: counter = .nan
            case 2: counter = -0.0
            case 3: counter = 0.0
            case 4, 5: break                             // a repeat
            default: counter = (counter.isNaN ? 0 : counter) + Double(Int.random(in: 0..<100, using: &random))
            }
            samples.append(Sample(timestamp: time, value: counter))
        }
        return samples
    }

    static func same(_ a: Double?, _ b: Double?) -> Bool {
        switch (a, b) {
        case (nil, nil): return true
        case let (x?, y?): return x.bitPattern == y.bitPattern || (x.isNaN && y.isNaN)
        default: return false
        }
    }

    @Test(arguments: [
        ("rate", 60_000 as Int64, 15_000 as Int64), ("rate", 300_000, 15_000), ("increase", 300_000, 7_000),
        ("max_over_time", 300_000, 15_000), ("max_over_time", 45_000, 60_000), ("min_over_time", 300_000, 15_000),
        ("min_over_time", 20_000, 5_000),
    ])
    func everyStepEqualsTheRescan(_ function: String, _ range: Int64, _ step: Int64) throws {
        for seed in UInt64(1)...8 {
            let samples = Self.series(seed: seed)
            var source = MemorySampleSource()
            source.append(Labels(["__name__": "x"]), samples)
            let engine = QueryEngine(source: source)
            let expr = try PromQLParser.parse("\(function)(x[\(range / 1000)s])")
            let end = samples.last!.timestamp + range
            let result = try engine.rangeQuery(expr, start: 0, end: end, step: step)
            let points = Dictionary(uniqueKeysWithValues: (result.first?.points ?? []).map { ($0.timestamp, $0.value) })
            var mismatches: [String] = []
            for time in stride(from: Int64(0), through: end, by: Int(step)) {
                let window = ArraySlice(samples.filter { $0.timestamp > time - range && $0.timestamp <= time })
                let expected: Double?
                if window.isEmpty {
                    expected = nil
                } else {
                    switch function {
                    case "rate", "increase":
                        expected = RateFunctions.extrapolatedRate(
                            window, rangeStart: time - range, rangeEnd: time, isCounter: true, isRate: function == "rate")
                    case "max_over_time": expected = OverTimeFunctions.maxOverTime(window)
                    default: expected = OverTimeFunctions.minOverTime(window)
                    }
                }
                if !Self.same(points[time], expected) {
                    mismatches.append("t=\(time): \(points[time].map { "\($0)" } ?? "none") vs \(expected.map { "\($0)" } ?? "none")")
                }
            }
            #expect(mismatches.isEmpty, "seed \(seed): \(mismatches.prefix(5))")
        }
    }

    /// -0 and +0 are equal; the rescan keeps the first, and so must the slide.
    @Test func theFirstOfEqualExtremaWins() throws {
        var source = MemorySampleSource()
        source.append(Labels(["__name__": "x"]), [
            Sample(timestamp: 1_000, value: -0.0), Sample(timestamp: 2_000, value: 0.0), Sample(timestamp: 3_000, value: -1),
        ])
        let engine = QueryEngine(source: source)
        func values(_ query: String) throws -> [Double] {
            try engine.rangeQuery(try PromQLParser.parse(query), start: 2_000, end: 3_000, step: 1_000).first?.points.map(\.value) ?? []
        }
        let maxima = try values("max_over_time(x[10s])")
        #expect(maxima.count == 2 && maxima.allSatisfy { $0 == 0 && $0.sign == .minus }, "\(maxima)")
        let minima = try values("min_over_time(x[10s])")
        #expect(minima.count == 2 && minima[0] == 0 && minima[0].sign == .minus && minima[1] == -1, "\(minima)")
    }

    /// One window serves every series of a call, its buffer growing when a longer series
    /// comes: series of 10, 300, 40 and 1,000 samples, each falling (rising for the minimum)
    /// so that every sample in the window is a candidate, give each step's rescan.
    @Test(arguments: ["max_over_time", "min_over_time"])
    func theWindowGrowsForALongerSeries(_ function: String) throws {
        var source = MemorySampleSource()
        var bySeries: [Labels: [Sample]] = [:]
        for (index, length) in [10, 300, 40, 1000].enumerated() {
            let labels = Labels(["__name__": "x", "i": "\(index)"])
            let samples = (0..<length).map { Sample(timestamp: Int64($0) * 1000, value: Double(function == "max_over_time" ? -$0 : $0)) }
            source.append(labels, samples)
            bySeries[labels.removing(Label.metricName)] = samples
        }
        let result = try QueryEngine(source: source).rangeQuery(
            try PromQLParser.parse("\(function)(x[2000s])"), start: 0, end: 1_200_000, step: 30_000)
        #expect(result.count == 4)
        for series in result {
            let samples = try #require(bySeries[series.labels])
            for point in series.points {
                let window = samples.filter { $0.timestamp > point.timestamp - 2_000_000 && $0.timestamp <= point.timestamp }
                let expected = function == "max_over_time" ? window.map(\.value).max() : window.map(\.value).min()
                #expect(point.value == expected, "\(series.labels) at \(point.timestamp)")
            }
        }
    }
}
