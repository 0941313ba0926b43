import AlertEngine
import MetricStore

/// A silence as Alertmanager's API v2 writes it (`gettableSilence`), fields in its order:
///
///     {"id":"…","status":{"state":"active"},"updatedAt":"2026-12-06T18:00:00.000Z",
///      "comment":"…","createdBy":"…","endsAt":"…",
///      "matchers":[{"isEqual":true,"isRegex":false,"name":"alertname","value":"X"}],"startsAt":"…"}
///
/// Times as go-openapi's `strfmt.DateTime`: UTC with milliseconds always.
enum GettableSilence {
    static func write(_ silence: Silence, now: Int64, _ json: inout JSONWriter) {
        json.beginObject()
        json.key("id")
        json.string(silence.id)
        json.key("status")
        json.beginObject()
        json.key("state")
        json.string(silence.state(at: now).rawValue)
        json.endObject()
        json.key("updatedAt")
        json.string(time(silence.updatedAt))
        json.key("comment")
        json.string(silence.comment)
        json.key("createdBy")
        json.string(silence.createdBy)
        json.key("endsAt")
        json.string(time(silence.endsAt))
        json.key("matchers")
        json.beginArray()
        for matcher in silence.matchers {
            json.beginObject()
            json.key("isEqual")
            json.bool(matcher.kind == .equal || matcher.kind == .regex)
            json.key("isRegex")
            json.bool(matcher.kind == .regex || matcher.kind == .notRegex)
            json.key("name")
            json.string(matcher.name)
            json.key("value")
            json.string(matcher.value)
            json.endObject()
        }
        json.endArray()
        json.key("startsAt")
        json.string(time(silence.startsAt))
        json.endObject()
    }

    /// `2026-12-06T18:00:00.000Z`.
    static func time(_ milliseconds: Int64) -> String {
        let fraction = ((milliseconds % 1000) + 1000) % 1000
        let whole = RFC3339Format.string(milliseconds: milliseconds - fraction)
        let digits = String(fraction)
        return whole.dropLast() + "." + String(repeating: "0", count: 3 - digits.count) + digits + "Z"
    }
}
