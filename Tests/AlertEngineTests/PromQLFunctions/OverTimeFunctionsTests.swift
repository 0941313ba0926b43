@testable import AlertEngine
import MetricStore
import Testing

private typealias TestData = PromQLTestData

@Suite struct OverTimeFunctionsTests {
    struct Case: Sendable, CustomTestStringConvertible {
        let name: String
        let values: [Double]
        let expected: Double
        var relativeTolerance = 0.0
        var testDescription: String { "\(name): \(values)" }
    }

    // MARK: resets and changes (functions.test, 5m samples, windows ending at 50m)

    static let resetsCases: [Case] = [
        .init(name: "foo[20m]", values: [1, 2, 0], expected: 1),
        .init(name: "foo[32m]", values: [1, 0, 0, 1, 2, 0], expected: 2),
        .init(name: "foo[50m]", values: [2, 3, 0, 1, 0, 0, 1, 2, 0], expected: 3),
        .init(name: "bar[32m]", values: [5, 1, 2, 3, 4, 5], expected: 1),
        .init(name: "biz[50m]", values: [0, 0, 0, 0, 1, 1, 1, 1, 1], expected: 0),
        .init(name: "single sample", values: [3], expected: 0),
        .init(name: "NaN compares false both ways", values: [2, .nan, 1], expected: 0),
    ]

    @Test(arguments: resetsCases)
    func resets(_ testCase: Case) {
        #expect(OverTimeFunctions.resets(TestData.samples(testCase.values)) == testCase.expected)
    }

    static let changesCases: [Case] = [
        .init(name: "foo[20m]", values: [1, 2, 0], expected: 2),
        .init(name: "foo[30m]", values: [0, 0, 1, 2, 0], expected: 3),
        .init(name: "foo[50m]", values: [2, 3, 0, 1, 0, 0, 1, 2, 0], expected: 7),
        .init(name: "bar[50m]", values: [2, 3, 4, 5, 1, 2, 3, 4, 5], expected: 8),
        .init(name: "biz[50m]", values: [0, 0, 0, 0, 1, 1, 1, 1, 1], expected: 1),
        .init(name: "NaN to NaN is no change", values: [.nan, .nan, .nan], expected: 0),
        .init(name: "to and from NaN are changes", values: [0, .nan, 0], expected: 2),
        .init(name: "single sample", values: [3], expected: 0),
    ]

    @Test(arguments: changesCases)
    func changes(_ testCase: Case) {
        #expect(OverTimeFunctions.changes(TestData.samples(testCase.values)) == testCase.expected)
    }

    // MARK: avg_over_time (functions.test)

    static let big = 9.988465674311579e+307

    static let averageCases: [Case] = [
        .init(name: "one sample", values: [5], expected: 5),
        .init(name: "metric", values: [1, 2, 3, 4, 5], expected: 3),
        .init(name: "metric2", values: [1, 2, 3, 4, .infinity], expected: .infinity),
        .init(name: "metric3", values: [1, 2, 3, 4, -.infinity], expected: -.infinity),
        .init(name: "metric4", values: [1, 2, 3, .infinity, -.infinity], expected: .nan),
        .init(name: "metric5", values: [.infinity, 0, .infinity], expected: .infinity),
        .init(name: "metric5c", values: [.infinity, .infinity, .infinity, -.infinity], expected: .nan),
        .init(name: "metric6", values: [1, 2, 3, -.infinity, -.infinity], expected: -.infinity),
        .init(name: "metric6b", values: [-.infinity, 0, -.infinity], expected: -.infinity),
        .init(name: "metric6c", values: [-.infinity, -.infinity, -.infinity, .infinity], expected: .nan),
        .init(name: "metric7", values: [1, 2, -.infinity, -.infinity, .infinity], expected: .nan),
        .init(name: "metric8, the sum overflows", values: [big, big], expected: big),
        .init(name: "metric9, the sum overflows", values: [-big, -big, -big], expected: -big),
        .init(name: "metric10", values: [-big, big], expected: 0),
        .init(name: "metric11 before the NaNs", values: [1, 2, 3], expected: 2),
        .init(name: "metric11 with a NaN", values: [1, 2, 3, .nan], expected: .nan),
        .init(name: "large intermediate values", values: [1, 1e100, 1, -1e100], expected: 0.5),
        .init(name: "extreme metric1", values: [1e10, 1e-6, 1e-6, 1e-6, 1e-6, 1e-6], expected: 1.6666666666666675e+09),
        .init(name: "extreme metric2",
              values: [5.30921651659898, 0.961118537914768, 1.62091361305318, 0.865089463758091, 0.323055185914577,
                       0.951811357687154],
              expected: 1.67186744582113, relativeTolerance: 1e-12),
        .init(name: "extreme metric3", values: [1.78264e50, 0.76342771, 1.9592258, 7.69805412, 458.90154],
              expected: 3.56528E+49, relativeTolerance: 1e-12),
        .init(name: "extreme metric4", values: [0.76342771, 1.9592258, 7.69805412, 1.78264e50, 458.90154],
              expected: 3.56528E+49, relativeTolerance: 1e-12),
        .init(name: "extreme metric5", values: [1.78264E+50, 0.76342771, 1.9592258, 2.258E+220, 7.69805412, 458.90154],
              expected: 3.76333333333333E+219, relativeTolerance: 1e-12),
        .init(name: "extreme metric6", values: [-1.78264E+50, 0.76342771, 1.9592258, 2.258E+220, 7.69805412, -458.90154],
              expected: 3.76333333333333E+219, relativeTolerance: 1e-12),
        .init(name: "extreme metric7", values: [-1.78264E+50, 0.76342771, 1.9592258, -2.258E+220, 7.69805412, -458.90154],
              expected: -3.76333333333333E+219, relativeTolerance: 1e-12),
        .init(name: "extreme metric8", values: [-1.78264E+215, 0.76342771, 1.9592258, 2.258E+220, 7.69805412, -458.90154],
              expected: 3.76330362266667E+219, relativeTolerance: 1e-12),
        .init(name: "extreme metric9",
              values: [-1.78264E+215, 0.76342771, 1.9592258, 2.258E+220, 7.69805412, 1.78264E+215, -458.90154],
              expected: 3.225714285714286e+219, relativeTolerance: 1e-12),
        .init(name: "extreme metric10",
              values: [-1.78264E+219, 0.76342771, 1.9592258, 2.3757689E+217, -2.3757689E+217, 2.258E+220, 7.69805412,
                       1.78264E+219, -458.90154],
              expected: 2.5088888888888888e+219, relativeTolerance: 1e-12),
        // Prometheus documents this as wrong (the true mean is -44.848083237000004) and
        // expects the 0 that compensated summation comes to.
        .init(name: "extreme metric11",
              values: [-2.258E+220, -1.78264E+219, 0.76342771, 1.9592258, 2.3757689E+217, -2.3757689E+217, 2.258E+220,
                       7.69805412, 1.78264E+219, -458.90154],
              expected: 0),
        .init(name: "ten equal values are exactly that value", values: Array(repeating: 52, count: 10), expected: 52),
        .init(name: "thirteen equal values are exactly that value", values: Array(repeating: 52, count: 13), expected: 52),
    ]

    @Test(arguments: averageCases)
    func avgOverTime(_ testCase: Case) {
        let result = OverTimeFunctions.avgOverTime(TestData.samples(testCase.values))
        #expect(TestData.matches(result, testCase.expected, relativeTolerance: testCase.relativeTolerance), "got \(result)")
    }

    // MARK: sum_over_time

    static let sumCases: [Case] = [
        .init(name: "metric", values: [1, 2, 3, 4, 5], expected: 15),
        .init(name: "large intermediate values cancel", values: [1, 1e100, 1, -1e100], expected: 2),
        .init(name: "overflow is infinite", values: [big, big], expected: .infinity),
        .init(name: "+Inf and -Inf", values: [1, .infinity, -.infinity], expected: .nan),
        .init(name: "NaN", values: [1, .nan], expected: .nan),
        .init(name: "dense samples", values: Array(repeating: 1, count: 3003), expected: 3003),
        .init(name: "tenths", values: Array(repeating: 0.1, count: 10), expected: 1),
    ]

    @Test(arguments: sumCases)
    func sumOverTime(_ testCase: Case) {
        let result = OverTimeFunctions.sumOverTime(TestData.samples(testCase.values))
        #expect(TestData.matches(result, testCase.expected), "got \(result)")
    }

    // MARK: min, max, last, count (functions.test's `data` series)

    struct ExtremesCase: Sendable, CustomTestStringConvertible {
        let name: String
        let values: [Double]
        let min: Double
        let max: Double
        let last: Double
        var testDescription: String { name }
    }

    static let extremesCases: [ExtremesCase] = [
        .init(name: "numbers", values: [2, 0, 3], min: 0, max: 3, last: 3),
        .init(name: "some_nan", values: [2, 0, .nan], min: 0, max: 2, last: .nan),
        .init(name: "some_nan2", values: [2, .nan, 1], min: 1, max: 2, last: 1),
        .init(name: "some_nan3", values: [.nan, 0, 1], min: 0, max: 1, last: 1),
        .init(name: "only_nan", values: [.nan, .nan, .nan], min: .nan, max: .nan, last: .nan),
        .init(name: "infinities", values: [.infinity, -.infinity, 5], min: -.infinity, max: .infinity, last: 5),
        .init(name: "single", values: [4], min: 4, max: 4, last: 4),
    ]

    @Test(arguments: extremesCases)
    func minMaxLastCount(_ testCase: ExtremesCase) {
        let samples = TestData.samples(testCase.values)
        #expect(TestData.matches(OverTimeFunctions.minOverTime(samples), testCase.min))
        #expect(TestData.matches(OverTimeFunctions.maxOverTime(samples), testCase.max))
        #expect(TestData.matches(OverTimeFunctions.lastOverTime(samples), testCase.last))
        #expect(OverTimeFunctions.countOverTime(samples) == Double(testCase.values.count))
    }

    // MARK: quantile_over_time (functions.test)

    static let quantileCases: [QuantileTests.Case] = [
        .init(0, [0, 1], 0), .init(0.5, [0, 1], 0.5), .init(0.75, [0, 1], 0.75), .init(0.8, [0, 1], 0.8),
        .init(1, [0, 1], 1),
        .init(0, [0, 1, 2], 0), .init(0.5, [0, 1, 2], 1), .init(0.75, [0, 1, 2], 1.5), .init(0.8, [0, 1, 2], 1.6),
        .init(1, [0, 1, 2], 2),
        .init(0, [0, 1, 4], 0), .init(0.5, [0, 1, 4], 1), .init(0.75, [0, 1, 4], 2.5), .init(0.8, [0, 1, 4], 2.8),
        .init(1, [0, 1, 4], 4),
        .init(-1, [0, 1, 4], -.infinity), .init(2, [0, 1, 4], .infinity), .init(.nan, [0, 1, 4], .nan),
        .init(0.5, [4, 0, 1], 1),
    ]

    @Test(arguments: quantileCases)
    func quantileOverTime(_ testCase: QuantileTests.Case) {
        let result = OverTimeFunctions.quantileOverTime(testCase.q, TestData.samples(testCase.values))
        #expect(TestData.matches(result, testCase.expected, relativeTolerance: 1e-15), "got \(result)")
    }

    @Test func quantileOverTimeReusesTheScratchBuffer() {
        var scratch = [99.0, 98, 97, 96, 95]
        let result = OverTimeFunctions.quantileOverTime(0.5, TestData.samples([3, 1, 2]), scratch: &scratch)
        #expect(result == 2)
        #expect(scratch == [1, 2, 3])
    }

    // MARK: stddev_over_time and stdvar_over_time (functions.test)

    struct VarianceCase: Sendable, CustomTestStringConvertible {
        let name: String
        let values: [Double]
        let variance: Double
        let deviation: Double
        var testDescription: String { name }
    }

    static let varianceCases: [VarianceCase] = [
        .init(name: "metric", values: [0, 8, 8, 2, 3], variance: 10.56, deviation: 3.2496153618543846),
        .init(name: "equal values (#4927)", values: [1.5990505637277868, 1.5990505637277868, 1.5990505637277868],
              variance: 0, deviation: 0),
        .init(name: "single value", values: [7], variance: 0, deviation: 0),
        .init(name: "with NaN", values: [1, .nan, 3], variance: .nan, deviation: .nan),
        .init(name: "with Inf", values: [1, .infinity], variance: .nan, deviation: .nan),
    ]

    @Test(arguments: varianceCases)
    func variance(_ testCase: VarianceCase) {
        let samples = TestData.samples(testCase.values)
        #expect(TestData.matches(OverTimeFunctions.stdvarOverTime(samples), testCase.variance, relativeTolerance: 1e-12))
        #expect(TestData.matches(OverTimeFunctions.stddevOverTime(samples), testCase.deviation, relativeTolerance: 1e-12))
    }
}
