@testable import AlertEngine
import MetricStore
import Testing

private typealias TestData = PromQLTestData

@Suite struct RateFunctionsTests {
    enum Kind: String, Sendable { case rate, increase, delta }

    struct Case: Sendable, CustomTestStringConvertible {
        let name: String
        let kind: Kind
        let step: Int64
        let values: [Double?]
        let time: Int64
        let range: Int64
        var offset: Int64 = 0
        let expected: Double?
        var testDescription: String { name }
    }

    static let minute = TestData.minute
    static let second = TestData.second

    /// From functions.test (Prometheus 3, left-open windows) unless noted.
    static let cases: [Case] = [
        .init(name: "increase of a counter starting at 0", kind: .increase, step: 5 * minute,
              values: TestData.ramp(0, 10, times: 10), time: 50 * minute, range: 50 * minute, expected: 100),
        .init(name: "increase across a counter reset", kind: .increase, step: 5 * minute,
              values: TestData.ramp(0, 18, times: 5) + TestData.ramp(0, 18, times: 5), time: 50 * minute, range: 50 * minute,
              expected: 160),
        .init(name: "increase extrapolated to both edges", kind: .increase, step: 5 * minute,
              values: TestData.ramp(10, 10, times: 10), time: 50 * minute, range: 50 * minute, expected: 100),
        .init(name: "increase, window start before the first sample at 0", kind: .increase, step: 5 * minute,
              values: TestData.ramp(0, 10, times: 10), time: 50 * minute, range: 100 * minute, expected: 100),
        .init(name: "increase, reset and start at 0", kind: .increase, step: 5 * minute,
              values: TestData.ramp(0, 18, times: 5) + TestData.ramp(0, 18, times: 5), time: 50 * minute, range: 100 * minute,
              expected: 162),
        .init(name: "increase extrapolated by half an interval (zero point is further)", kind: .increase,
              step: 5 * minute, values: TestData.ramp(10, 10, times: 10), time: 50 * minute, range: 100 * minute,
              expected: 105),
        .init(name: "increase not extrapolated below zero", kind: .increase, step: 5 * minute,
              values: TestData.ramp(1, 10, times: 10), time: 50 * minute, range: 100 * minute, expected: 101),
        .init(name: "a drop counts as reset to zero: 3 2 is 3 0 1 2", kind: .increase, step: 5 * minute,
              values: [0, 1, 2, 3, 2, 3, 4], time: 30 * minute, range: 30 * minute, expected: 7),
        .init(name: "rate across a reset in the middle", kind: .rate, step: 5 * minute,
              values: TestData.ramp(0, 27, times: 4) + TestData.ramp(0, 27, times: 5), time: 50 * minute, range: 50 * minute,
              expected: 0.08),
        .init(name: "rate with one sample in range", kind: .rate, step: 5 * minute,
              values: TestData.ramp(0, 10, times: 9) + [0, 10], time: 50 * minute, range: 5 * minute, expected: nil),
        .init(name: "rate with the reset as the last sample", kind: .rate, step: 5 * minute,
              values: TestData.ramp(0, 10, times: 9) + [0, 10], time: 50 * minute, range: 6 * minute, expected: 0),
        .init(name: "rate is per second", kind: .rate, step: 5 * minute,
              values: TestData.ramp(0, 80, times: 10), time: 50 * minute, range: 50 * minute, expected: 0.26666666666666666),
        .init(name: "rate with offset a", kind: .rate, step: 5 * minute,
              values: TestData.ramp(0, 10, times: 10), time: 50 * minute, range: 10 * minute, offset: 5 * minute,
              expected: 0.03333333333333333),
        .init(name: "rate with offset b", kind: .rate, step: 5 * minute,
              values: TestData.ramp(0, 20, times: 10), time: 50 * minute, range: 10 * minute, offset: 5 * minute,
              expected: 0.06666666666666667),
        .init(name: "zero cutoff, starting at 0", kind: .rate, step: 4 * minute,
              values: TestData.ramp(0, 240, times: 10), time: 10 * minute, range: 20 * minute, expected: 0.5),
        .init(name: "zero cutoff, 1m before zero", kind: .rate, step: 4 * minute,
              values: TestData.ramp(60, 240, times: 10), time: 10 * minute, range: 20 * minute, expected: 0.55),
        .init(name: "zero cutoff at exactly half an interval", kind: .rate, step: 4 * minute,
              values: TestData.ramp(120, 240, times: 10), time: 10 * minute, range: 20 * minute, expected: 0.6),
        .init(name: "zero beyond half an interval, 3m", kind: .rate, step: 4 * minute,
              values: TestData.ramp(180, 240, times: 10), time: 10 * minute, range: 20 * minute, expected: 0.6),
        .init(name: "zero beyond half an interval, 5m", kind: .rate, step: 4 * minute,
              values: TestData.ramp(300, 240, times: 10), time: 10 * minute, range: 20 * minute, expected: 0.6),
        .init(name: "half-interval cutoff later in the series", kind: .rate, step: 4 * minute,
              values: TestData.ramp(0, 240, times: 10), time: 50 * minute, range: 20 * minute, expected: 0.6),
        .init(name: "delta of a rising gauge", kind: .delta, step: 5 * minute,
              values: [0, 50, 100, 150, 200], time: 20 * minute, range: 20 * minute, expected: 200),
        .init(name: "delta of a falling gauge is not a reset", kind: .delta, step: 5 * minute,
              values: [200, 150, 100, 50, 0], time: 20 * minute, range: 20 * minute, expected: -200),
        .init(name: "no samples", kind: .rate, step: 5 * minute, values: [], time: 50 * minute,
              range: 50 * minute, expected: nil),
        .init(name: "a counter below zero is extrapolated normally", kind: .increase, step: 5 * minute,
              values: TestData.ramp(-10, 10, times: 10), time: 50 * minute, range: 100 * minute,
              // 100 over 50m, stretched by half an interval to 52.5m.
              expected: 105),
        .init(name: "a NaN last sample makes the result NaN", kind: .increase, step: 5 * minute,
              values: [1, 2, .nan], time: 10 * minute, range: 15 * minute, expected: .nan),
        .init(name: "an infinite last sample makes the result infinite", kind: .delta, step: 5 * minute,
              values: [1, 2, .infinity], time: 10 * minute, range: 15 * minute, expected: .infinity),
    ]

    @Test(arguments: cases)
    func extrapolatedRate(_ testCase: Case) {
        let samples = TestData.load(step: testCase.step, testCase.values)
        let window = TestData.window(samples, at: testCase.time, range: testCase.range, offset: testCase.offset)
        let end = testCase.time - testCase.offset
        let result = RateFunctions.extrapolatedRate(
            window, rangeStart: end - testCase.range, rangeEnd: end,
            isCounter: testCase.kind != .delta, isRate: testCase.kind == .rate)
        #expect(TestData.matches(result, testCase.expected, relativeTolerance: 1e-12), "got \(String(describing: result))")
    }

    /// Samples every 10s from `first`; the window is [0s, 100s]. The first sample's distance
    /// to the start decides between full and half-interval extrapolation at 1.1 × 10s.
    @Test(arguments: [
        // 10.999s away: extrapolated to the start, 8 over 80s stretched to 100s.
        (Int64(10_999), 10.0),
        // Exactly 1.1 intervals is already too far (10 × 1.1 rounds to exactly 11): half an
        // interval (5s), and 9s to the end: 8 × 94 / 80.
        (Int64(11_000), 9.4),
        // 11.001s away: half an interval, and 8.999s to the end: 8 × 93.999 / 80.
        (Int64(11_001), 9.3999),
    ])
    func extrapolationThresholdAtTheStart(first: Int64, expected: Double) {
        let samples = (0...8).map { Sample(timestamp: first + Int64($0) * 10_000, value: Double($0)) }
        let result = RateFunctions.extrapolatedRate(
            samples[...], rangeStart: 0, rangeEnd: 100_000, isCounter: false, isRate: false)
        #expect(TestData.matches(result, expected, relativeTolerance: 1e-12), "got \(String(describing: result))")
    }

    @Test(arguments: [
        (Int64(10_999), 10.0),
        (Int64(11_001), 9.3999),
    ])
    func extrapolationThresholdAtTheEnd(gapToEnd: Int64, expected: Double) {
        let last: Int64 = 100_000 - gapToEnd
        let samples = (0...8).map { Sample(timestamp: last - Int64(8 - $0) * 10_000, value: Double($0)) }
        let result = RateFunctions.extrapolatedRate(
            samples[...], rangeStart: 0, rangeEnd: 100_000, isCounter: false, isRate: false)
        #expect(TestData.matches(result, expected, relativeTolerance: 1e-12), "got \(String(describing: result))")
    }

    @Test func rateDividesByTheRangeNotTheSampledInterval() {
        // 90s range, samples covering 80s of it: 8 per 80s extrapolated to 90s, per second
        // (starting at 1, the zero point is further away than half an interval).
        let samples = (0...8).map { Sample(timestamp: 5000 + Int64($0) * 10_000, value: Double($0 + 1)) }
        let result = RateFunctions.extrapolatedRate(
            samples[...], rangeStart: 0, rangeEnd: 90_000, isCounter: true, isRate: true)
        #expect(TestData.matches(result, 0.1, relativeTolerance: 1e-12))
    }

    struct InstantCase: Sendable, CustomTestStringConvertible {
        let name: String
        let isRate: Bool
        let values: [Double?]
        let time: Int64
        let range: Int64
        let expected: Double?
        var testDescription: String { name }
    }

    static let instantCases: [InstantCase] = [
        .init(name: "irate of a steady counter", isRate: true, values: TestData.ramp(0, 10, times: 10),
              time: 50 * minute, range: 50 * minute, expected: 0.03333333333333333),
        .init(name: "irate right after a reset is the new value", isRate: true,
              values: TestData.ramp(0, 10, times: 5) + TestData.ramp(0, 10, times: 5), time: 30 * minute, range: 50 * minute,
              expected: 0),
        .init(name: "irate after NaNs", isRate: true, values: [1, .nan, .nan, 5, 11], time: 20 * minute,
              range: 15 * minute + second, expected: 0.02),
        .init(name: "irate from NaN", isRate: true, values: [1, .nan, .nan, 5, 11], time: 15 * minute,
              range: 15 * minute + second, expected: .nan),
        .init(name: "irate with one sample", isRate: true, values: [1, 2], time: 5 * minute,
              range: 4 * minute, expected: nil),
        .init(name: "idelta of a rising gauge", isRate: false, values: [0, 50, 100, 150], time: 20 * minute,
              range: 20 * minute, expected: 50),
        .init(name: "idelta of a drop is negative", isRate: false, values: [0, 50, 100, 50], time: 20 * minute,
              range: 20 * minute, expected: -50),
        .init(name: "idelta after NaNs", isRate: false, values: [1, .nan, .nan, 5, 11], time: 20 * minute,
              range: 15 * minute + second, expected: 6),
        .init(name: "idelta to +Inf", isRate: false, values: [1, .infinity], time: 5 * minute,
              range: 10 * minute, expected: .infinity),
    ]

    @Test(arguments: instantCases)
    func instantValue(_ testCase: InstantCase) {
        let samples = TestData.load(step: 5 * Self.minute, testCase.values)
        let window = TestData.window(samples, at: testCase.time, range: testCase.range)
        let result = RateFunctions.instantValue(window, isRate: testCase.isRate)
        #expect(TestData.matches(result, testCase.expected, relativeTolerance: 1e-12), "got \(String(describing: result))")
    }

    @Test func instantValueNeedsDistinctTimestamps() {
        let samples = [Sample(timestamp: 1000, value: 1), Sample(timestamp: 1000, value: 2)]
        #expect(RateFunctions.instantValue(samples[...], isRate: true) == nil)
        #expect(RateFunctions.instantValue(samples[...], isRate: false) == nil)
    }

    @Test(arguments: [
        (Int64(300_000), 300.0), (Int64(1_500), 1.5), (Int64(1), 0.001), (Int64(0), 0.0),
    ])
    func rangeSecondsLikeGoDurations(milliseconds: Int64, seconds: Double) {
        #expect(RateFunctions.rangeSeconds(milliseconds) == seconds)
    }
}
