@testable import AlertEngine
import Testing

/// A rule-test file whose last eval_time is far beyond its evaluation_interval used to run for
/// days (`eval_time: 100y` at `1ms`, found with the RuleTest fuzz target, which runs tests); it is refused with the
/// count it would have needed.
@Suite struct RuleTestRunnerLimitTests {
    static func file(interval: String, evalTime: String) -> String {
        """
        evaluation_interval: \(interval)
        tests:
          - interval: 1m
            input_series:
              - series: 'up{job="a"}'
                values: '1x10'
            alert_rule_test:
              - eval_time: \(evalTime)
                alertname: NoSuchAlert
                exp_alerts: []
        """
    }

    @Test(arguments: [
        ("1ms", "100y", "needs 3153600000001 rule evaluations; at most 1000000"),
        // One past the bound: 1,000,000 ms at 1 ms is 1,000,001 evaluations.
        ("1ms", "16m40s", "needs 1000001 rule evaluations; at most 1000000"),
    ])
    func refusesTooManyEvaluations(interval: String, evalTime: String, message: String) throws {
        let testFile = try RuleTestFileLoader.parse(Self.file(interval: interval, evalTime: evalTime), file: "limit.test.yml")
        let failures = RuleTestRunner.run(testFile.tests[0], in: testFile)
        #expect(failures.count == 1)
        #expect(failures.first?.contains(message) == true, "\(failures)")
    }

    @Test func runsWithinTheBound() throws {
        let testFile = try RuleTestFileLoader.parse(Self.file(interval: "1m", evalTime: "10m"), file: "limit.test.yml")
        #expect(RuleTestRunner.run(testFile.tests[0], in: testFile) == [])
    }
}
