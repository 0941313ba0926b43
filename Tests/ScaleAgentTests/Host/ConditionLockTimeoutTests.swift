import NIOConcurrencyHelpers
import Testing

@testable import ScaleAgent

@Suite struct ConditionLockTimeoutTests {
    /// NIO converts the seconds to Int64 nanoseconds before it even looks at the value, so each
    /// of these used to trap (beyond 292 years) or fail its precondition (negative).
    @Test(arguments: [Duration.seconds(300 * 365 * 86_400), .seconds(Int64.max), .seconds(-1), .zero])
    func anyTimeoutWaitsWithoutTrapping(_ timeout: Duration) {
        let ready = ConditionLock(value: true)
        #expect(ready.lock(whenValue: true, timeout: timeout))
        ready.unlock()
    }

    @Test func aNegativeTimeoutDoesNotWait() {
        let never = ConditionLock(value: false)
        #expect(!never.lock(whenValue: true, timeout: .seconds(-5)))
    }
}
