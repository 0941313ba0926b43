@testable import AlertEngine
import Testing

@Suite struct QuantileTests {
    struct Case: Sendable, CustomTestStringConvertible {
        let q: Double
        let values: [Double]
        let expected: Double
        init(_ q: Double, _ values: [Double], _ expected: Double) {
            self.q = q
            self.values = values
            self.expected = expected
        }
        var testDescription: String { "quantile(\(q), \(values))" }
    }

    static let cases: [Case] = [
        // aggregators.test's `data`: two, three and uneven samples.
        Case(0.8, [0, 1], 0.8), Case(0.8, [0, 1, 2], 1.6), Case(0.8, [0, 1, 4], 2.8),
        Case(0.5, [4, 0, 1], 1), Case(0.25, [10, 20, 30, 40], 17.5), Case(0.5, [7], 7),
        // q outside [0, 1].
        Case(-0.1, [0, 1, 4], -.infinity), Case(1.1, [0, 1, 4], .infinity), Case(-.infinity, [1], -.infinity),
        Case(.nan, [0, 1, 4], .nan),
        // No values.
        Case(0.5, [], .nan),
        // NaN sorts first and takes a rank: {NaN, -Inf, 0, 1} at 0.8 gives 0.4, not 0.6.
        Case(0.8, [1, 0, .nan, -.infinity], 0.4),
        Case(0, [1, .nan, 2], .nan), Case(1, [1, .nan, 2], 2),
        // The interpolation always multiplies both neighbours, so an infinite one with zero
        // weight makes NaN (Inf × 0), even at an exact rank, as in Prometheus.
        Case(0, [1, .infinity], .nan), Case(1, [1, .infinity], .nan), Case(0.5, [-.infinity, 1, .infinity], .nan),
        Case(0, [-.infinity, 1], -.infinity), Case(0.5, [-.infinity, 1, 2], 1),
    ]

    @Test(arguments: cases)
    func quantile(_ testCase: Case) {
        var values = testCase.values
        let result = Quantile.quantile(testCase.q, &values)
        #expect(PromQLTestData.matches(result, testCase.expected, relativeTolerance: 1e-15), "got \(result)")
    }

    @Test func sortsTheValuesInPlace() {
        var values = [3.0, .nan, 1, 2]
        _ = Quantile.quantile(0.5, &values)
        #expect(values[0].isNaN)
        #expect(Array(values.dropFirst()) == [1, 2, 3])
    }
}
