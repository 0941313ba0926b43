import AlertEngine
import MetricStore

/// A decided notification waiting in the outbox for delivery, with its retry state.
struct QueuedNotification: Sendable, Equatable {
    var notification: Notification
    /// Stable across retries and restarts; sent as `Idempotency-Key`.
    let id: String
    var attempts = 0
    /// Unix milliseconds; not before this.
    var nextAttemptAt: Int64

    init(_ notification: Notification) {
        self.notification = notification
        self.id = notification.idempotencyKey
        self.nextAttemptAt = notification.decidedAt
    }

    init(notification: Notification, id: String, attempts: Int, nextAttemptAt: Int64) {
        self.notification = notification
        self.id = id
        self.attempts = attempts
        self.nextAttemptAt = nextAttemptAt
    }
}
