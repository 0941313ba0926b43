import AlertEngine
import Foundation
import MetricStore

/// The body of `POST /api/v2/silences`, Alertmanager's `postableSilence`:
///
///     {"id":"…(to update)","matchers":[{"name":"alertname","value":"X","isRegex":false,"isEqual":true}],
///      "startsAt":"2026-12-06T18:00:00Z","endsAt":"2026-12-06T20:00:00Z","createdBy":"ops","comment":"deploy"}
///
/// `isEqual` defaults to true, as in Alertmanager; every other field but `id` is required.
/// Refusals name the field, as go-swagger's do (`createdBy in body is required`).
enum PostableSilence {
    struct Refusal: Error, Equatable {
        let message: String
    }

    private struct Body: Decodable {
        var id: String?
        var matchers: [Matcher]?
        var startsAt: String?
        var endsAt: String?
        var createdBy: String?
        var comment: String?
    }

    private struct Matcher: Decodable {
        var name: String?
        var value: String?
        var isRegex: Bool?
        var isEqual: Bool?
    }

    static func parse(_ bytes: [UInt8]) throws(Refusal) -> Silence {
        let body: Body
        do {
            body = try JSONDecoder().decode(Body.self, from: Data(bytes))
        } catch {
            throw Refusal(message: "expected a silence as JSON: \(Self.reason(error))")
        }
        guard let matchers = body.matchers else { throw Refusal(message: "matchers in body is required") }
        var parsed: [LabelMatcher] = []
        for (index, matcher) in matchers.enumerated() {
            guard let name = matcher.name else { throw Refusal(message: "matchers.\(index).name in body is required") }
            guard let value = matcher.value else { throw Refusal(message: "matchers.\(index).value in body is required") }
            guard let isRegex = matcher.isRegex else { throw Refusal(message: "matchers.\(index).isRegex in body is required") }
            let kind: LabelMatcher.Kind =
                switch (isRegex, matcher.isEqual ?? true) {
                case (false, true): .equal
                case (false, false): .notEqual
                case (true, true): .regex
                case (true, false): .notRegex
                }
            do {
                parsed.append(try LabelMatcher(name, kind, value))
            } catch {
                throw Refusal(message: "invalid label matcher \(index): \(error)")
            }
        }
        guard let createdBy = body.createdBy else { throw Refusal(message: "createdBy in body is required") }
        guard let comment = body.comment else { throw Refusal(message: "comment in body is required") }
        return Silence(
            id: body.id ?? "", matchers: parsed, startsAt: try time(body.startsAt, "startsAt"), endsAt: try time(body.endsAt, "endsAt"),
            updatedAt: 0, createdBy: createdBy, comment: comment)
    }

    private static func time(_ text: String?, _ field: String) throws(Refusal) -> Int64 {
        guard let text else { throw Refusal(message: "\(field) in body is required") }
        // RFC 3339 only: a bare number is a Prometheus habit, not Alertmanager's.
        guard text.contains("T"), let milliseconds = try? PrometheusTimestamp.milliseconds(parsing: text) else {
            throw Refusal(message: "\(field) in body must be of type date-time: \(JSONWriter.quoted(text))")
        }
        return milliseconds
    }

    private static func reason(_ error: any Error) -> String {
        switch error {
        case DecodingError.typeMismatch(let type, let context):
            return "\(context.codingPath.map(\.stringValue).joined(separator: ".")) is not a \(type)"
        case DecodingError.dataCorrupted(let context):
            return context.debugDescription
        default:
            return "\(error)"
        }
    }
}
