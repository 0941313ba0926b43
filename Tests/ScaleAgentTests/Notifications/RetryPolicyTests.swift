import Testing

@testable import ScaleAgent

@Suite struct RetryPolicyTests {
    static let policy = RetryPolicy(initial: .seconds(1), maximum: .seconds(60))

    @Test(arguments: [
        (1, 0.0, Duration.milliseconds(500)), (1, 0.999, .microseconds(999_500)),
        (2, 0.0, .seconds(1)), (3, 0.5, .seconds(3)), (7, 0.0, .seconds(30)), (40, 0.0, .seconds(30)),
    ])
    func backsOffExponentiallyWithJitter(_ attempts: Int, _ unit: Double, _ expected: Duration) {
        #expect(Self.policy.delay(afterAttempts: attempts, retryAfter: nil, unit: unit) == expected)
    }

    @Test func retryAfterIsHonouredUpToItsLimit() {
        #expect(Self.policy.delay(afterAttempts: 1, retryAfter: .seconds(7), unit: 0.5) == .seconds(7))
        #expect(Self.policy.delay(afterAttempts: 1, retryAfter: .seconds(600), unit: 0.5) == .seconds(600), "beyond the backoff's maximum")
        #expect(Self.policy.delay(afterAttempts: 1, retryAfter: .seconds(86_400), unit: 0.5) == .seconds(3600))
    }
}
