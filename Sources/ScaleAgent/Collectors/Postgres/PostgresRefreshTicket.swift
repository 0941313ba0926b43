import NIOConcurrencyHelpers

/// One refresh's completion, waited for by collector threads with a deadline.
final class PostgresRefreshTicket: Sendable {
    private let done = ConditionLock(value: false)

    /// (`ConditionLock.value` takes the lock itself.)
    var isComplete: Bool { done.value }

    func complete() {
        done.lock()
        done.unlock(withValue: true)
    }

    /// Blocks the calling (collector) thread until the refresh completes or `seconds` pass.
    func wait(seconds: Double) -> Bool {
        guard done.lock(whenValue: true, timeoutSeconds: max(0, seconds)) else { return false }
        done.unlock()
        return true
    }
}
