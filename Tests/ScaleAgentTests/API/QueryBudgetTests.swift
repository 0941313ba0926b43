import AlertEngine
import MetricStore
import Testing

@testable import ScaleAgent

@Suite struct QueryBudgetTests {
    /// Three series of 10 samples each.
    private let source = MemorySampleSource(
        (0..<3).map { index in
            SeriesSamples(
                labels: Labels(["__name__": "m", "i": "\(index)"]),
                samples: (0..<10).map { Sample(timestamp: Int64($0) * 1000, value: Double($0)) })
        })

    @Test func aSeriesStreamStopsAtTheSeriesThatGoesOverTheLimit() {
        let budget = QueryBudget(store: source, maxSamples: 25, deadline: .now + .seconds(60))
        var seen: [String] = []
        #expect(throws: QueryBudget.Exceeded.self) {
            try budget.forEachSeries([], minTime: .min, maxTime: .max) { labels, _ in seen.append(labels["i"] ?? "") }
        }
        #expect(seen == ["0", "1"])
        #expect(budget.exceeded == .samples)
        #expect(budget.samples == 30)
    }

    @Test func aSeriesStreamWithinTheLimitCountsEverySample() throws {
        let budget = QueryBudget(store: source, maxSamples: 30, deadline: .now + .seconds(60))
        var seen = 0
        try budget.forEachSeries([], minTime: .min, maxTime: 4000) { _, samples in seen += samples.count }
        #expect(seen == 15)
        #expect(budget.samples == 15)
        #expect(budget.exceeded == .none)
    }

    @Test func aPassedDeadlineStopsTheStreamBeforeAnySeries() {
        let budget = QueryBudget(store: source, maxSamples: 1000, deadline: .now - .seconds(1))
        var calls = 0
        #expect(throws: QueryBudget.Exceeded.self) {
            try budget.forEachSeries([], minTime: .min, maxTime: .max) { _, _ in calls += 1 }
        }
        #expect(calls == 0)
        #expect(budget.exceeded == .deadline)
    }
}
