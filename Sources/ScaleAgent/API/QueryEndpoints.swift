import AlertEngine
import Hummingbird
import Logging
import MetricStore

/// `/api/v1/query` and `/api/v1/query_range`, with Prometheus' parameters (`query`, `time`,
/// `start`, `end`, `step`, `timeout`, `limit`, `lookback_delta`, `stats`), checks in its order
/// and its messages, evaluated by `QueryRunner` on the reader pool.
struct QueryEndpoints: Sendable {
    let runner: QueryRunner
    /// Now, in Unix milliseconds: the default `time` of an instant query.
    let now: @Sendable () -> Int64

    /// A subquery without a step (`x[5m:]`) uses Prometheus' default global evaluation
    /// interval, in instant and range queries alike (not the range query's step).
    static let defaultSubqueryStep: Int64 = 60_000

    func instant(_ parameters: APIParameters) async throws(APIError) -> Response {
        let limit = try parameters.limit()
        let time = try parameters.time("time", default: now())
        let timeout = try parameters.optionalDuration("timeout")
        let lookback = try Self.lookbackDelta(parameters)
        let text = parameters.value("query")
        let expr = try Self.parse(text)
        let stats = !parameters.value("stats").isEmpty
        // Evaluated and rendered on the reader pool: a large result's JSON is CPU work too.
        let body = try await runner.run(timeout: timeout, describe: { ["query": "\(text)", "time": "\(time)"] }) { budget, settings in
            let started = ContinuousClock.now
            let engine = QueryEngine(
                source: budget, lookbackDelta: lookback ?? settings.lookbackDelta.milliseconds,
                defaultSubqueryStep: Self.defaultSubqueryStep, windowStart: settings.windowStart)
            var value = try engine.instantQuery(expr, at: time)
            let evaluated = (ContinuousClock.now - started, budget.samples)
            var warnings: [String] = []
            if limit > 0 {
                switch value {
                case .vector(let samples) where samples.count > limit:
                    value = .vector(Array(samples.prefix(limit)))
                    warnings.append(Self.truncated)
                case .matrix(let series) where series.count > limit:
                    value = .matrix(Array(series.prefix(limit)))
                    warnings.append(Self.truncated)
                default:
                    break
                }
            }
            return APIResponse.successBody(warnings: warnings) { json in
                QueryResultJSON.instantData(value, at: time, &json) { json in
                    if stats { Self.writeStats(elapsed: evaluated.0, samples: evaluated.1, &json) }
                }
            }
        }
        return APIResponse.ok(body)
    }

    func range(_ parameters: APIParameters) async throws(APIError) -> Response {
        let limit = try parameters.limit()
        let start = try parameters.time("start")
        let end = try parameters.time("end")
        guard end >= start else { throw .invalidParameter("end", "end timestamp must not be before start time") }
        let step = try parameters.duration("step")
        guard step > 0 else {
            throw .invalidParameter("step", "zero or negative query resolution step widths are not accepted. Try a positive integer")
        }
        // As Prometheus: whole steps in the range, so a range of 11,000 steps and a bit passes.
        guard end.subtractingReportingOverflow(start).partialValue / step <= 11_000 else {
            throw APIError(
                .badData, "exceeded maximum resolution of 11,000 points per timeseries. Try decreasing the query resolution (?step=XX)")
        }
        let timeout = try parameters.optionalDuration("timeout")
        let lookback = try Self.lookbackDelta(parameters)
        let text = parameters.value("query")
        let expr = try Self.parse(text)
        let type = expr.type
        guard type == .scalar || type == .instantVector else {
            throw .invalidParameter(
                "query", "invalid expression type \(JSONWriter.quoted(type.rawValue)) for range query, must be Scalar or instant Vector")
        }
        let stats = !parameters.value("stats").isEmpty
        let body = try await runner.run(
            timeout: timeout, describe: { ["query": "\(text)", "start": "\(start)", "end": "\(end)", "step": "\(step)"] }
        ) { budget, settings in
            let started = ContinuousClock.now
            let engine = QueryEngine(
                source: budget, lookbackDelta: lookback ?? settings.lookbackDelta.milliseconds,
                defaultSubqueryStep: Self.defaultSubqueryStep, windowStart: settings.windowStart)
            var series = try engine.rangeQuery(expr, start: start, end: end, step: step)
            let evaluated = (ContinuousClock.now - started, budget.samples)
            var warnings: [String] = []
            if limit > 0 && series.count > limit {
                series.removeLast(series.count - limit)
                warnings.append(Self.truncated)
            }
            return APIResponse.successBody(warnings: warnings) { json in
                QueryResultJSON.rangeData(series, &json) { json in
                    if stats { Self.writeStats(elapsed: evaluated.0, samples: evaluated.1, &json) }
                }
            }
        }
        return APIResponse.ok(body)
    }

    static let truncated = "results truncated due to limit"

    static func parse(_ text: String) throws(APIError) -> Expr {
        do {
            return try PromQLParser.parse(text)
        } catch {
            throw .invalidParameter("query", error.description)
        }
    }

    /// `lookback_delta=`: Prometheus refuses a bad one without naming the parameter.
    static func lookbackDelta(_ parameters: APIParameters) throws(APIError) -> Int64? {
        let text = parameters.value("lookback_delta")
        guard !text.isEmpty else { return nil }
        do {
            let milliseconds = try APIParameters.parseDuration(text)
            return milliseconds > 0 ? milliseconds : nil
        } catch {
            throw APIError(.badData, "error parsing lookback delta duration: \(error.message)")
        }
    }

    /// `stats`: the parts of Prometheus' statistics this engine measures, in its shape.
    static func writeStats(elapsed: Duration, samples: Int, _ json: inout JSONWriter) {
        let seconds = elapsed.seconds
        json.key("stats")
        json.beginObject()
        json.key("timings")
        json.beginObject()
        for (name, value) in [
            ("evalTotalTime", seconds), ("resultSortTime", 0), ("queryPreparationTime", 0), ("innerEvalTime", seconds),
            ("execQueueTime", 0), ("execTotalTime", seconds),
        ] {
            json.key(name)
            json.number(value)
        }
        json.endObject()
        json.key("samples")
        json.beginObject()
        json.key("totalQueryableSamples")
        json.integer(samples)
        json.key("peakSamples")
        json.integer(samples)
        json.endObject()
        json.endObject()
    }
}
