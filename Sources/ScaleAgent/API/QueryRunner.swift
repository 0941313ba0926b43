import AlertEngine
import Logging
import MetricStore

/// Runs the API's reads of the store: admitted under `query.max_concurrency`, on the reader
/// pool (never on the threads that collect or serve `/metrics`), within `query.timeout` and
/// `query.max_samples`, and logged when slower than `query.log_slow_queries_over`. Failures
/// come back as the `APIError` Prometheus would answer.
struct QueryRunner: Sendable {
    let store: Store
    let pool: ReaderPool
    let admission: QueryAdmission
    /// Read per query so that a reload applies to the next one.
    let settings: @Sendable () -> QuerySettings
    let logger: Logger

    /// Runs `body` with the store behind this query's budget. `timeout` is the caller's
    /// (`timeout=`), used when shorter than `query.timeout`. `describe` names the query in the
    /// slow-query log.
    func run<Result: Sendable>(
        timeout requested: Int64? = nil, describe: @escaping @Sendable () -> Logger.Metadata,
        _ body: @escaping @Sendable (QueryBudget, QuerySettings) throws -> Result
    ) async throws(APIError) -> Result {
        let settings = self.settings()
        var timeout = settings.timeout
        if let requested, requested > 0 { timeout = min(timeout, .milliseconds(requested)) }
        try await admission.acquire(maxRunning: settings.maxConcurrency, maxQueued: settings.maxQueued)
        defer { admission.release() }
        let started = ContinuousClock.now
        let budget = QueryBudget(store: store, maxSamples: settings.maxSamples, deadline: started + timeout)
        let result: Result
        do {
            result = try await pool.run { try body(budget, settings) }
        } catch {
            let failure = Self.apiError(error, budget: budget)
            log(describe, settings: settings, elapsed: ContinuousClock.now - started, samples: budget.samples, failure: failure)
            throw failure
        }
        let elapsed = ContinuousClock.now - started
        log(describe, settings: settings, elapsed: elapsed, samples: budget.samples, failure: nil)
        return result
    }

    /// Prometheus' classification: a limit is `execution` (samples) or `timeout`; a refusal of
    /// the pool is `unavailable`; a store that fails is `internal`; anything the engine refuses
    /// is `execution`.
    static func apiError(_ error: any Error, budget: QueryBudget) -> APIError {
        switch budget.exceeded {
        case .samples:
            return APIError(.execution, PromQLEvaluationError.tooManySamples.description)
        case .deadline:
            return APIError(.timeout, "query timed out in expanding series")
        case .none:
            break
        }
        switch error {
        case let error as APIError:
            return error
        case let error as ReaderPoolOverloaded:
            return APIError(.unavailable, error.description)
        case PromQLEvaluationError.tooManySamples:
            return APIError(.execution, PromQLEvaluationError.tooManySamples.description)
        case let error as PromQLEvaluationError:
            if case .source = error { return APIError(.internal, error.description) }
            return APIError(.execution, error.description)
        case let error as StoreError:
            return APIError(.internal, "expanding series: \(error)")
        default:
            return APIError(.internal, "\(error)")
        }
    }

    private func log(
        _ describe: @Sendable () -> Logger.Metadata, settings: QuerySettings, elapsed: Duration, samples: Int, failure: APIError?
    ) {
        guard let threshold = settings.logSlowQueriesOver, elapsed >= threshold else { return }
        var metadata = describe()
        metadata["duration_seconds"] = "\(elapsed.seconds)"
        metadata["samples"] = "\(samples)"
        if let failure { metadata["error"] = "\(failure)" }
        logger.warning("slow query", metadata: metadata)
    }
}
