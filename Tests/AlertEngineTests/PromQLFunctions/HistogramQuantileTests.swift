@testable import AlertEngine
import Testing

@Suite struct HistogramQuantileTests {
    typealias Buckets = [(upperBound: Double, count: Double)]

    struct Case: Sendable, CustomTestStringConvertible {
        let name: String
        let q: Double
        let bounds: [Double]
        let counts: [Double]
        let expected: Double
        var buckets: Buckets { Array(zip(bounds, counts)).map { (upperBound: $0, count: $1) } }
        var testDescription: String { "\(name), q=\(q)" }
    }

    /// histograms.test at 50m: `testhistogram` (positive and negative start), `testhistogram3`,
    /// `testhistogram2` at 7m, `nonmonotonic_bucket`, `mixed_bucket` and `empty_bucket`.
    static let positive: ([Double], [Double]) = ([0.1, 0.2, 1, .infinity], [50, 70, 110, 120])
    static let negative: ([Double], [Double]) = ([-0.2, -0.1, 0.3, .infinity], [10, 20, 20, 30])
    static let positive3: ([Double], [Double]) = ([0, 0.1, 0.2, 1, .infinity], [0, 50, 70, 110, 110])
    static let negative3: ([Double], [Double]) = ([-0.25, -0.2, -0.1, 0.3, .infinity], [0, 10, 20, 20, 20])
    static let middles: ([Double], [Double]) = ([0, 2, 4, 6, .infinity], [0, 1, 2, 3, 3])
    static let nonmonotonic: ([Double], [Double]) = ([0.1, 1, 10, 100, 1000, .infinity], [20, 10, 50, 40, 90, 80])

    static func make(_ name: String, _ q: Double, _ histogram: ([Double], [Double]), _ expected: Double) -> Case {
        Case(name: name, q: q, bounds: histogram.0, counts: histogram.1, expected: expected)
    }

    static let cases: [Case] = [
        make("positive", 0, positive, 0), make("negative", 0, negative, -0.2),
        make("positive", 1, positive, 1), make("negative", 1, negative, 0.3),
        make("positive", 0.2, positive, 0.048), make("negative", 0.2, negative, -0.2),
        make("positive", 0.5, positive, 0.15), make("negative", 0.5, negative, -0.15),
        make("positive", 0.8, positive, 0.72), make("negative", 0.8, negative, 0.3),
        make("positive", -0.1, positive, -.infinity), make("negative", -0.1, negative, -.infinity),
        make("positive", 1.01, positive, .infinity), make("negative", 1.01, negative, .infinity),
        make("positive", .nan, positive, .nan), make("negative", .nan, negative, .nan),
        make("positive3", 0, positive3, 0), make("negative3", 0, negative3, -0.25),
        make("positive3", 0.25, positive3, 0.055), make("negative3", 0.25, negative3, -0.225),
        make("positive3", 0.5, positive3, 0.125), make("negative3", 0.5, negative3, -0.2),
        make("positive3", 0.75, positive3, 0.45), make("negative3", 0.75, negative3, -0.15),
        make("positive3", 1, positive3, 1), make("negative3", 1, negative3, -0.1),
        make("middles", 1.0 / 6, middles, 1), make("middles", 0.5, middles, 3), make("middles", 5.0 / 6, middles, 5),
        make("nonmonotonic", 0.01, nonmonotonic, 0.0045), make("nonmonotonic", 0.5, nonmonotonic, 8.5),
        make("nonmonotonic", 0.99, nonmonotonic, 979.75),
        // le="0.2", le="2e-1" and le="2.0e-1" are one bucket.
        make("duplicate bounds", 0.5, ([0.1, 0.2, 0.2, 0.2, .infinity], [1, 1, 1, 1, 4]), 0.15),
        make("duplicate bounds", 0.75, ([0.1, 0.2, 0.2, 0.2, .infinity], [1, 1, 1, 1, 4]), 0.2),
        make("duplicate bounds", 1, ([0.1, 0.2, 0.2, 0.2, .infinity], [1, 1, 1, 1, 4]), 0.2),
        make("only +Inf twice, one bucket after merging", 0.5, ([.infinity, .infinity], [0, 0]), .nan),
        make("no observations", 0.2, ([0.1, 0.2, .infinity], [0, 0, 0]), .nan),
        make("no +Inf bucket", 0.5, ([0.1, 0.2, 1], [50, 70, 110]), .nan),
        make("a single +Inf bucket", 0.5, ([.infinity], [10]), .nan),
        make("no buckets", 0.5, ([], []), .nan),
        make("unsorted input", 0.5, ([1, .infinity, 0.2, 0.1], [110, 120, 70, 50]), 0.15),
        make("in the +Inf bucket: the second highest bound", 0.99, ([1, 2, .infinity], [10, 20, 100]), 2),
        make("lowest bound not positive: the bound itself", 0.1, ([-1, 2, .infinity], [5, 10, 10]), -1),
        make("lowest bound positive: interpolated from 0", 0.25, ([4, 8, .infinity], [10, 20, 20]), 2),
        make("q outside [0, 1] wins over missing +Inf", -1, ([1, 2], [1, 2]), -.infinity),
        make("rank on a bucket boundary stays in the lower bucket", 0.5, ([1, 2, .infinity], [5, 10, 10]), 1),
    ]

    @Test(arguments: cases)
    func bucketQuantile(_ testCase: Case) {
        let result = HistogramQuantile.bucketQuantile(testCase.q, buckets: testCase.buckets)
        #expect(PromQLTestData.matches(result, testCase.expected, relativeTolerance: 1e-12), "got \(result)")
    }

    @Test func reportsForcedMonotonicity() {
        let (bounds, counts) = Self.nonmonotonic
        let result = HistogramQuantile.bucketQuantileReportingCorrections(
            0.5, buckets: Array(zip(bounds, counts)).map { (upperBound: $0, count: $1) })
        #expect(result.value == 8.5)
        #expect(result.forcedMonotonic)
        #expect(!result.fixedPrecision)
    }

    @Test func evensOutFloatingPointNoise() {
        // 1 + 1e-13 after 1 is noise (and so is a step down of that size); 3 is not.
        let buckets: Buckets = [(1, 1), (2, 1 + 1e-13), (4, 1 - 1e-13), (.infinity, 3)]
        let result = HistogramQuantile.bucketQuantileReportingCorrections(0.5, buckets: buckets)
        #expect(result.fixedPrecision)
        #expect(!result.forcedMonotonic)
        // rank 1.5 lands in the +Inf bucket after evening out: the second highest bound.
        #expect(result.value == 4)
    }

    @Test(arguments: [
        (1.0, 1.0 + 1e-13, true), (1, 1.1, false), (0, Double.leastNonzeroMagnitude, true), (0, 1e-300, false), (.nan, .nan, true),
        (1e308, .infinity, false), (-1, 1, false),
    ] as [(Double, Double, Bool)])
    func almostEqual(a: Double, b: Double, expected: Bool) {
        #expect(HistogramQuantile.almostEqual(a, b, tolerance: 1e-12) == expected)
    }
}
