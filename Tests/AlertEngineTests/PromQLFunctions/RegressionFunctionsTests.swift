@testable import AlertEngine
import MetricStore
import Testing

private typealias TestData = PromQLTestData

@Suite struct RegressionFunctionsTests {
    static let minute = TestData.minute
    /// functions.test's `testcounter_reset_middle_total`: 0+10x4 0+10x5, every 5m.
    static let resetMiddle = TestData.load(step: 5 * minute, TestData.ramp(0, 10, times: 4) + TestData.ramp(0, 10, times: 5))

    struct DerivCase: Sendable, CustomTestStringConvertible {
        let name: String
        let samples: [Sample]
        let time: Int64
        let range: Int64
        let expected: Double?
        var testDescription: String { name }
    }

    static let derivCases: [DerivCase] = [
        .init(name: "same as rate for a steady counter",
              samples: TestData.load(step: 5 * minute, TestData.ramp(0, 80, times: 10)), time: 50 * minute,
              range: 50 * minute, expected: 0.26666666666666666),
        .init(name: "least squares through a reset", samples: resetMiddle, time: 50 * minute, range: 100 * minute,
              expected: 0.010606060606060607),
        .init(name: "NaN when a value is infinite",
              samples: TestData.load(step: 5 * minute, [-.infinity] + TestData.ramp(0, 80, times: 10) + [.infinity]),
              time: 100 * minute, range: 100 * minute, expected: .nan),
        .init(name: "a constant series is flat", samples: TestData.load(step: 10_000, [1.5990505637277868, 1.5990505637277868, 1.5990505637277868]),
              time: 20_000, range: 60_000, expected: 0),
        .init(name: "a constant infinite series has no slope",
              samples: TestData.load(step: 10_000, [.infinity, .infinity]), time: 10_000, range: 60_000, expected: .nan),
        .init(name: "one sample", samples: TestData.load(step: 10_000, [1, 2]), time: 10_000, range: 5_000, expected: nil),
    ]

    @Test(arguments: derivCases)
    func deriv(_ testCase: DerivCase) {
        let window = TestData.window(testCase.samples, at: testCase.time, range: testCase.range)
        let result = RegressionFunctions.deriv(window)
        #expect(TestData.matches(result, testCase.expected, relativeTolerance: 1e-12), "got \(String(describing: result))")
    }

    struct PredictCase: Sendable, CustomTestStringConvertible {
        let name: String
        let samples: [Sample]
        /// Where the window ends (an `@` modifier moves it away from the evaluation time).
        let windowEnd: Int64
        let range: Int64
        let evaluationTime: Int64
        let seconds: Double
        let expected: Double?
        var testDescription: String { name }
    }

    static let predictCases: [PredictCase] = [
        .init(name: "an hour ahead", samples: resetMiddle, windowEnd: 50 * minute, range: 50 * minute,
              evaluationTime: 50 * minute, seconds: 3600, expected: 70),
        .init(name: "intercept at the evaluation time (@ 3000, at 50m)", samples: resetMiddle, windowEnd: 50 * minute,
              range: 55 * minute, evaluationTime: 50 * minute, seconds: 3600, expected: 76.81818181818181),
        .init(name: "intercept at the evaluation time (@ 3000, at 10m)", samples: resetMiddle, windowEnd: 50 * minute,
              range: 55 * minute, evaluationTime: 10 * minute, seconds: 3600, expected: 51.36363636363637),
        .init(name: "intercept at the evaluation time (@ 3000, at 70m)", samples: resetMiddle, windowEnd: 50 * minute,
              range: 55 * minute, evaluationTime: 70 * minute, seconds: 3600, expected: 89.54545454545455),
        .init(name: "NaN when a value is infinite",
              samples: TestData.load(step: 5 * minute, [-.infinity] + TestData.ramp(0, 80, times: 10) + [.infinity]),
              windowEnd: 100 * minute, range: 100 * minute, evaluationTime: 100 * minute, seconds: 6000, expected: .nan),
        .init(name: "a constant series predicts itself", samples: TestData.load(step: 10_000, [7, 7, 7]),
              windowEnd: 20_000, range: 60_000, evaluationTime: 20_000, seconds: 1e6, expected: 7),
        .init(name: "a steady gauge at the last sample", samples: TestData.load(step: 5 * minute, TestData.ramp(0, 80, times: 10)),
              windowEnd: 50 * minute, range: 50 * minute, evaluationTime: 50 * minute, seconds: 3600,
              // 800 + 0.2666… × 3600: predict_linear equals value + deriv × seconds here.
              expected: 1760),
        .init(name: "one sample", samples: TestData.load(step: 10_000, [1, 2]), windowEnd: 10_000, range: 5_000,
              evaluationTime: 10_000, seconds: 60, expected: nil),
    ]

    @Test(arguments: predictCases)
    func predictLinear(_ testCase: PredictCase) {
        let window = TestData.window(testCase.samples, at: testCase.windowEnd, range: testCase.range)
        let result = RegressionFunctions.predictLinear(
            window, seconds: testCase.seconds, evaluationTime: testCase.evaluationTime)
        #expect(TestData.matches(result, testCase.expected, relativeTolerance: 1e-12), "got \(String(describing: result))")
    }
}
