/// What the agent knows about one check-in job's runs. Times are Unix seconds.
struct CheckInRecord: Codable, Equatable, Sendable {
    /// When the job was first configured: the reference for its first deadline.
    var since: Double
    var lastStart: Double?
    var lastSuccess: Double?
    var lastFailure: Double?
    /// From a start to the success or failure that ended it.
    var lastDuration: Double?
    var starts: Double = 0
    var successes: Double = 0
    var failures: Double = 0
    /// The first bytes of the last request body that had one (what the job said), if any.
    var lastMessage: String?

    init(since: Double) {
        self.since = since
    }

    /// What a check-in request reports.
    enum Event: String, Sendable, CaseIterable {
        case start, success, fail
    }

    /// The record after `event` at `time`. A success or failure that ends a run started since
    /// the previous one ended gives the run's duration.
    func recording(_ event: Event, at time: Double, message: String?) -> CheckInRecord {
        var next = self
        if let message { next.lastMessage = message }
        switch event {
        case .start:
            next.lastStart = time
            next.starts += 1
            return next
        case .success:
            next.lastSuccess = time
            next.successes += 1
        case .fail:
            next.lastFailure = time
            next.failures += 1
        }
        let previousEnd = max(lastSuccess ?? -.infinity, lastFailure ?? -.infinity)
        if let start = lastStart, start >= previousEnd, start <= time {
            next.lastDuration = time - start
        }
        return next
    }
}
