import AlertEngine
import MetricStore

/// The API's parameters read as Prometheus' `web/api/v1` reads them, with its messages: times
/// as Unix seconds or RFC 3339, durations as seconds or Prometheus durations, `limit` as a
/// non-negative integer, `match[]` as series selectors (the parser refuses one whose matchers
/// all match the empty string, which would select every series).
struct APIParameters: Sendable {
    let form: FormValues

    /// Prometheus' `MinTime` and `MaxTime`: what an absent `start` and `end` mean.
    static let minTime = PrometheusTimestamp.minMilliseconds
    static let maxTime = PrometheusTimestamp.maxMilliseconds

    func value(_ name: String) -> String { form.value(name) }

    /// A required time (`start`, `end` of a range query): an absent one is an error.
    func time(_ name: String) throws(APIError) -> Int64 {
        do {
            return try Self.parseTime(form.value(name))
        } catch {
            throw .invalidParameter(name, error.message)
        }
    }

    /// An optional time: `defaultValue` when absent or empty.
    func time(_ name: String, default defaultValue: Int64) throws(APIError) -> Int64 {
        let text = form.value(name)
        guard !text.isEmpty else { return defaultValue }
        do {
            return try Self.parseTime(text)
        } catch {
            throw .invalidParameter(name, "invalid time value for '\(name)': \(error.message)")
        }
    }

    /// A required duration in milliseconds.
    func duration(_ name: String) throws(APIError) -> Int64 {
        do {
            return try Self.parseDuration(form.value(name))
        } catch {
            throw .invalidParameter(name, error.message)
        }
    }

    /// An optional duration in milliseconds; nil when absent or empty.
    func optionalDuration(_ name: String) throws(APIError) -> Int64? {
        form.value(name).isEmpty ? nil : try duration(name)
    }

    /// `limit`: 0 (no limit) when absent.
    func limit() throws(APIError) -> Int {
        let text = form.value("limit")
        guard !text.isEmpty else { return 0 }
        guard let limit = Int(text) else {
            throw .invalidParameter("limit", "strconv.Atoi: parsing \(JSONWriter.quoted(text)): invalid syntax")
        }
        guard limit >= 0 else { throw .invalidParameter("limit", "limit must be non-negative") }
        return limit
    }

    /// Every `match[]` as a list of matchers; an empty list when none is given.
    func matcherSets() throws(APIError) -> [[LabelMatcher]] {
        var sets: [[LabelMatcher]] = []
        for selector in form.values("match[]") {
            do {
                sets.append(try PromQLParser.parseSeriesSelector(selector))
            } catch {
                throw APIError(.badData, error.description)
            }
        }
        return sets
    }

    struct ParseFailure: Error {
        let message: String
    }

    /// Unix seconds (rounded to the millisecond) or RFC 3339, within Prometheus' MinTime…MaxTime.
    static func parseTime(_ text: String) throws(ParseFailure) -> Int64 {
        do {
            return try PrometheusTimestamp.milliseconds(parsing: text)
        } catch {
            throw ParseFailure(message: "cannot parse \(JSONWriter.quoted(text)) to a valid timestamp")
        }
    }

    /// Seconds as a decimal number (`15`, `0.5`, `-1`) or a Prometheus duration (`1m30s`), in
    /// milliseconds. Negative seconds are accepted here, as Prometheus accepts them; the caller
    /// refuses what it cannot use.
    static func parseDuration(_ text: String) throws(ParseFailure) -> Int64 {
        if let seconds = Double(text), !text.isEmpty {
            let milliseconds = (seconds * 1000).rounded()
            guard seconds.isFinite, abs(milliseconds) <= Double(PrometheusDuration.maxMilliseconds) else {
                throw ParseFailure(message: "cannot parse \(JSONWriter.quoted(text)) to a valid duration. It overflows int64")
            }
            return Int64(milliseconds)
        }
        do {
            return try PrometheusDuration.milliseconds(parsing: text)
        } catch {
            throw ParseFailure(message: "cannot parse \(JSONWriter.quoted(text)) to a valid duration")
        }
    }
}
