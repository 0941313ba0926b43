import Hummingbird
import MetricStore

/// Where jobs report their runs, as Healthchecks.io's ping URLs work:
///
/// - `GET|POST /api/v1/checkins/<job>`: the run succeeded;
/// - `GET|POST /api/v1/checkins/<job>/start`: a run started (its success or failure then gives the duration);
/// - `GET|POST /api/v1/checkins/<job>/fail`: the run failed;
/// - `GET /api/v1/checkins`: every configured job's record, changing nothing.
///
/// GET is there for a plain `curl URL` in a crontab. A body is optional: its first
/// `maximumMessageBytes` (cut at a character boundary) are kept as the job's last message,
/// the rest ignored; the server bounds the whole body (`RequestBodyLimitMiddleware`). The
/// answer is the API's JSON, with the job's record after the check-in; an unknown job is 404,
/// an unknown event 404, a record that could not be saved 500, each with the reason.
struct CheckInEndpoints: Sendable {
    let store: CheckInStore
    /// Read per request, so that a config reload takes effect at once.
    let settings: @Sendable () -> CheckInSettings

    static let maximumMessageBytes = 1024

    func routes() -> [AgentRoute] {
        [
            AgentRoute("/api/v1/checkins", [.get]) { _, _ in list() },
            AgentRoute("/api/v1/checkins/:job", [.get, .post]) { request, context in
                await respond(job: context.parameters.get("job") ?? "", event: .success, request)
            },
            AgentRoute("/api/v1/checkins/:job/:event", [.get, .post]) { request, context in
                let name = context.parameters.get("event") ?? ""
                guard let event = Self.event(named: name) else {
                    return APIResponse.error(APIError(.notFound, "unknown check-in event \(JSONWriter.quoted(name)); expected start or fail (or none for success)"))
                }
                return await respond(job: context.parameters.get("job") ?? "", event: event, request)
            },
        ]
    }

    func list() -> Response {
        let records = store.current
        let now = store.now()
        return APIResponse.success { json in
            json.beginArray()
            for job in settings().jobs {
                Self.write(job, records[job.name] ?? CheckInRecord(since: now), &json)
            }
            json.endArray()
        }
    }

    static func event(named name: String) -> CheckInRecord.Event? {
        switch name {
        case "start": .start
        case "fail": .fail
        default: nil
        }
    }

    func respond(job name: String, event: CheckInRecord.Event, _ request: Request) async -> Response {
        guard let job = settings()[name] else {
            return APIResponse.error(APIError(.notFound, "no check-in job named \(JSONWriter.quoted(name)) in the config (checkins.jobs)"))
        }
        let message: String?
        do {
            let body = try await request.body.collect(upTo: HTTPLayer.maximumBodyBytes)
            message = Self.message(Array(buffer: body))
        } catch {
            return APIResponse.error(APIError(.badData, "could not read the body: \(error)"))
        }
        let record: CheckInRecord
        do {
            record = try store.record(event, job: job.name, message: message)
        } catch {
            return APIResponse.error(APIError(.internal, "the check-in could not be saved: \(error)"))
        }
        return APIResponse.success { json in Self.write(job, record, &json) }
    }

    /// The body's first bytes as text, cut before a partial character; nil for no body.
    static func message(_ bytes: [UInt8]) -> String? {
        guard !bytes.isEmpty else { return nil }
        var end = min(bytes.count, maximumMessageBytes)
        // Step back over continuation bytes (10xxxxxx) to the start of a character cut in two.
        if end < bytes.count {
            while end > 0 && bytes[end] & 0xC0 == 0x80 { end -= 1 }
        }
        return String(decoding: bytes[..<end], as: UTF8.self)
    }

    static func write(_ job: CheckInJob, _ record: CheckInRecord, _ json: inout JSONWriter) {
        json.beginObject()
        json.key("job")
        json.string(job.name)
        for (key, time) in [
            ("lastStart", record.lastStart), ("lastSuccess", record.lastSuccess), ("lastFailure", record.lastFailure),
            ("deadline", job.deadline(lastSuccess: record.lastSuccess, since: record.since)),
        ] {
            guard let time else { continue }
            json.key(key)
            json.unixSeconds(milliseconds: Int64((time * 1000).rounded()))
        }
        if let duration = record.lastDuration {
            json.key("lastDuration")
            json.number(duration)
        }
        json.key("starts")
        json.number(record.starts)
        json.key("successes")
        json.number(record.successes)
        json.key("failures")
        json.number(record.failures)
        if let message = record.lastMessage {
            json.key("lastMessage")
            json.string(message)
        }
        json.endObject()
    }
}
