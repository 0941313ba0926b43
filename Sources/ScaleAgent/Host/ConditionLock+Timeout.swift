import NIOConcurrencyHelpers

extension ConditionLock {
    /// NIO turns `timeoutSeconds` into Int64 nanoseconds and traps beyond about 292 years (and
    /// on a negative or NaN value). Config bounds keep timeouts far below that; this saturates
    /// anyway, so that no path to a wait can crash the agent.
    static var longestWait: Duration { .seconds(100 * 365 * 86_400) }

    /// `lock(whenValue:timeoutSeconds:)` with the timeout clamped to `0...longestWait`.
    func lock(whenValue wantedValue: T, timeout: Duration) -> Bool {
        let clamped = min(max(timeout, .zero), Self.longestWait)
        return lock(whenValue: wantedValue, timeoutSeconds: clamped.seconds)
    }
}
