/// When a failed delivery is tried again: exponential backoff from `initial`, doubling per
/// attempt up to `maximum`, with full jitter in the upper half (so that agents that lost the
/// same receiver do not come back in step), unless the receiver said when (`Retry-After`,
/// honoured up to `retryAfterLimit`). Pure: the random draw comes in as an argument.
struct RetryPolicy: Sendable, Equatable {
    var initial: Duration = .seconds(1)
    var maximum: Duration = .seconds(60)
    /// A receiver may ask for a longer pause than the backoff's, but not for days.
    var retryAfterLimit: Duration = .seconds(3600)

    /// The wait before attempt `attempts + 1`, after `attempts` failures; `unit` in [0, 1).
    func delay(afterAttempts attempts: Int, retryAfter: Duration?, unit: Double) -> Duration {
        if let retryAfter { return min(max(retryAfter, .zero), retryAfterLimit) }
        let exponent = min(max(attempts - 1, 0), 30)
        let base = min(initial * (1 << exponent), maximum)
        return base / 2 + (base / 2) * unit
    }
}
