import MetricStore

/// The notifier's self-metrics, named after Alertmanager's and Prometheus' notifier metrics
/// (`alertmanager_notifications_total{integration}`, `…_failed_total{reason}`,
/// `prometheus_notifications_queue_length`, `…_dropped_total`).
final class NotifierMetrics: Sendable {
    private struct Receiver: Hashable {
        var name: String
        var integration: String
    }

    private struct Counts {
        var attempts: [Receiver: Int] = [:]
        var failures: [Receiver: [DeliveryOutcome.FailureReason: Int]] = [:]
        var lastLatency: [Receiver: Double] = [:]
        var lastSuccess: [Receiver: Double] = [:]
        var dropped = 0
        var queueLength = 0
        var queueCapacity = 0
    }

    private let counts = Locked(Counts())

    func attempted(receiver: String, integration: String, outcome: DeliveryOutcome, latency: Double, at now: Double) {
        let key = Receiver(name: receiver, integration: integration)
        counts.withLock { counts in
            counts.attempts[key, default: 0] += 1
            counts.lastLatency[key] = latency
            switch outcome {
            case .delivered: counts.lastSuccess[key] = now
            case .retryable(let reason, _), .refused(let reason): counts.failures[key, default: [:]][reason, default: 0] += 1
            }
        }
    }

    func dropped(_ count: Int) {
        counts.withLock { $0.dropped += count }
    }

    func queue(length: Int, capacity: Int) {
        counts.withLock {
            $0.queueLength = length
            $0.queueCapacity = capacity
        }
    }

    func report(into metrics: inout MetricsBuilder) {
        let counts = self.counts.withLock { $0 }
        let receivers = Set(counts.attempts.keys).sorted { ($0.name, $0.integration) < ($1.name, $1.integration) }
        for receiver in receivers {
            let labels: KeyValuePairs<String, String> = ["receiver": receiver.name, "integration": receiver.integration]
            metrics.counter(
                "scalewatch_notifications_total", "Delivery attempts of notifications, per receiver and integration.",
                Double(counts.attempts[receiver] ?? 0), labels)
            for reason in [DeliveryOutcome.FailureReason.clientError, .serverError, .other] {
                metrics.counter(
                    "scalewatch_notifications_failed_total", "Delivery attempts that failed, by reason.",
                    Double(counts.failures[receiver]?[reason] ?? 0),
                    ["receiver": receiver.name, "integration": receiver.integration, "reason": reason.rawValue])
            }
            metrics.gauge(
                "scalewatch_notification_latency_seconds", "How long the last delivery attempt took.",
                counts.lastLatency[receiver] ?? 0, labels)
            metrics.gauge(
                "scalewatch_notifications_last_success_timestamp_seconds", "When a notification was last delivered.",
                counts.lastSuccess[receiver] ?? 0, labels)
        }
        metrics.counter(
            "scalewatch_notifications_dropped_total", "Notifications dropped because the outbox was full.", Double(counts.dropped))
        metrics.gauge("scalewatch_notifications_queue_length", "Notifications waiting for delivery.", Double(counts.queueLength))
        metrics.gauge(
            "scalewatch_notifications_queue_capacity", "The most notifications the outbox holds.", Double(counts.queueCapacity))
    }
}
