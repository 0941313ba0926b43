@testable import AlertEngine
import Testing

@Suite struct KahanSumTests {
    private func compensatedSum(_ values: [Double]) -> Double {
        var sum = 0.0
        var c = 0.0
        for value in values { (sum, c) = KahanSum.kahanSumInc(value, sum, c) }
        return KahanSum.value(sum, c)
    }

    struct Case: Sendable, CustomTestStringConvertible {
        let values: [Double]
        let expected: Double
        init(_ values: [Double], _ expected: Double) {
            self.values = values
            self.expected = expected
        }
        var testDescription: String { "\(values)" }
    }

    static let cases: [Case] = [
        Case([1, 1e100, 1, -1e100], 2),
        Case(Array(repeating: 0.1, count: 10), 1),
        Case([1e308, 1e308, -1e308], .infinity),
        Case([.infinity, 1], .infinity),
        Case([-.infinity, 1], -.infinity),
        Case([.infinity, -.infinity], .nan),
        Case([.nan, 1], .nan),
        Case([], 0),
    ]

    @Test(arguments: cases)
    func sums(_ testCase: Case) {
        #expect(PromQLTestData.matches(compensatedSum(testCase.values), testCase.expected))
    }

    @Test func naiveSummationWouldLoseTheSmallTerms() {
        // The reason for compensation: plain addition gives 0 here.
        #expect([1.0, 1e100, 1, -1e100].reduce(0, +) == 0)
        #expect(compensatedSum([1.0, 1e100, 1, -1e100]) == 2)
    }

    @Test func overflowResetsTheCompensation() {
        let (sum, c) = KahanSum.kahanSumInc(1e308, 1e308, 123)
        #expect(sum == .infinity)
        #expect(c == 0)
    }

    @Test func decrementMirrorsIncrement() {
        var sum = 0.0
        var c = 0.0
        for value in [1.0, 1e100, 1] { (sum, c) = KahanSum.kahanSumInc(value, sum, c) }
        (sum, c) = KahanSum.kahanSumDec(1e100, sum, c)
        #expect(KahanSum.value(sum, c) == 2)
        #expect(KahanSum.kahanSumDec(.infinity, 1, 5) == (-.infinity, 0))
    }

    @Test func inPlaceAdd() {
        var sum = 0.0
        var c = 0.0
        for value in [1.0, 1e100, 1, -1e100] { KahanSum.add(value, to: &sum, compensation: &c) }
        #expect(KahanSum.value(sum, c) == 2)
    }
}
