/// The configured check-in jobs' records as metrics, one series per job, so that rules can say
/// a run was missed (`time() > scalewatch_job_deadline_timestamp_seconds`) or failed
/// (`scalewatch_job_last_failure_timestamp_seconds > scalewatch_job_last_success_timestamp_seconds`).
/// Timestamps a job has not reached yet are 0, as node_exporter's systemd collector reports a
/// timer that never ran; a duration exists only once a run with a start has ended.
struct CheckInCollector: Collector {
    let name = "checkins"
    let settings: CheckInSettings
    let store: CheckInStore

    func collect(into metrics: inout MetricsBuilder) throws {
        Self.render(jobs: settings.jobs, records: store.current, now: store.now(), into: &metrics)
    }

    static func render(jobs: [CheckInJob], records: [String: CheckInRecord], now: Double, into metrics: inout MetricsBuilder) {
        for job in jobs.sorted(by: { $0.name < $1.name }) {
            let record = records[job.name] ?? CheckInRecord(since: now)
            let labels: KeyValuePairs = ["job": job.name]
            metrics.gauge(
                "scalewatch_job_last_success_timestamp_seconds", "When the check-in job last reported success (0: never).",
                record.lastSuccess ?? 0, labels)
            metrics.gauge(
                "scalewatch_job_last_start_timestamp_seconds", "When the check-in job last reported a start (0: never).",
                record.lastStart ?? 0, labels)
            metrics.gauge(
                "scalewatch_job_last_failure_timestamp_seconds", "When the check-in job last reported failure (0: never).",
                record.lastFailure ?? 0, labels)
            if let duration = record.lastDuration {
                metrics.gauge(
                    "scalewatch_job_last_duration_seconds", "How long the check-in job's last run took, from its start to its success or failure.",
                    duration, labels)
            }
            metrics.counter("scalewatch_job_successes_total", "Successes the check-in job reported.", record.successes, labels)
            metrics.counter("scalewatch_job_failures_total", "Failures the check-in job reported.", record.failures, labels)
            if let deadline = job.deadline(lastSuccess: record.lastSuccess, since: record.since) {
                metrics.gauge(
                    "scalewatch_job_deadline_timestamp_seconds",
                    "The latest time by which the check-in job's next success is due: its next expected run after the last success, plus the grace period.",
                    deadline, labels)
            }
        }
    }
}
