import AlertEngine
import Hummingbird
import MetricStore

/// `GET /api/v1/events[?kind=oom_kill|unit_failure|postgres_error][&limit=N]`: the notable
/// events the log collectors keep (OOM victims, unit failures, PostgreSQL fatal errors), newest
/// first, in the API's envelope:
///
///     {"status":"success","data":[{"time":"2026-12-06T21:38:48Z","kind":"oom_kill",
///       "summary":"the kernel OOM killer killed postgres (pid 4711, RSS 3.4 GiB) in …",
///       "details":{"pid":"4711","process":"postgres",…}}]}
///
/// Prometheus has no such endpoint; the shape follows its others so that the same clients
/// read it. The events are what the running log readers hold in memory (the last few per
/// reader), read without marking anything exported: a restart starts the list afresh, while the
/// counters behind it (`scalewatch_oom_kills_total`, …) are in the store.
struct EventsEndpoint: Sendable {
    let events: @Sendable () -> [NotableLogEvent]

    func respond(_ parameters: APIParameters) throws(APIError) -> Response {
        APIResponse.ok(Array(try body(parameters).utf8))
    }

    func body(_ parameters: APIParameters) throws(APIError) -> String {
        let kindText = parameters.value("kind")
        var kind: NotableLogEvent.Kind?
        if !kindText.isEmpty {
            guard let parsed = NotableLogEvent.Kind(rawValue: kindText) else {
                let known = [NotableLogEvent.Kind.oomKill, .unitFailure, .postgresError].map(\.rawValue).joined(separator: ", ")
                throw .invalidParameter("kind", "unknown kind \(JSONWriter.quoted(kindText)); expected one of \(known)")
            }
            kind = parsed
        }
        let limit = try parameters.limit()
        var listed = Self.newestFirst(events()).filter { kind == nil || $0.kind == kind }
        if limit > 0 { listed = Array(listed.prefix(limit)) }
        let body = APIResponse.successBody { json in
            json.beginArray()
            for event in listed { Self.write(event, &json) }
            json.endArray()
        }
        return String(decoding: body, as: UTF8.self)
    }

    static func newestFirst(_ events: [NotableLogEvent]) -> [NotableLogEvent] {
        events.sorted { $0.time > $1.time }
    }

    static func write(_ event: NotableLogEvent, _ json: inout JSONWriter) {
        json.beginObject()
        json.key("time")
        let milliseconds = event.time.isFinite ? Int64(max(-9e15, min(9e15, event.time * 1000))) : 0
        json.string(GoTime.rfc3339(unixMilliseconds: milliseconds))
        json.key("kind")
        json.string(event.kind.rawValue)
        json.key("summary")
        json.string(event.summary)
        json.key("details")
        json.beginObject()
        for key in event.details.keys.sorted() {
            json.key(key)
            json.string(event.details[key] ?? "")
        }
        json.endObject()
        json.endObject()
    }
}
