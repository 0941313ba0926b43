/// How one delivery attempt ended, and what the outbox does about it.
enum DeliveryOutcome: Sendable, Equatable {
    case delivered
    /// Worth another try: no connection, a timeout, 5xx or 429. `retryAfter` from the answer.
    case retryable(reason: FailureReason, retryAfter: Duration?)
    /// The receiver refused the message itself (other 4xx): sending it again cannot help.
    case refused(reason: FailureReason)

    /// The `reason` label of `scalewatch_notifications_failed_total`, as Alertmanager's
    /// `alertmanager_notifications_failed_total{reason}` names them.
    enum FailureReason: String, Sendable {
        case clientError = "clientError"
        case serverError = "serverError"
        case other = "other"
    }
}
