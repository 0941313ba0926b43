import AlertEngine
import AsyncHTTPClient
import Foundation
import MetricStore
import NIOCore
import NIOHTTP1
import NIOPosix

/// `scalewatch silence add|query|expire`, as `amtool silence` has them, against the agent's
/// Alertmanager silence API.
public enum SilenceCommands {
    /// `add`: matchers in Alertmanager's syntax (`alertname=X`, `job=~"a|b"`); prints the new id.
    public static func add(
        url: String, matchers: [String], comment: String, author: String, duration: String, timeout: TimeAmount = .seconds(10)
    ) async throws -> String {
        var parsed: [LabelMatcher] = []
        for text in matchers {
            do {
                parsed += try AlertmanagerMatchers.parse(text)
            } catch {
                throw AlertsCommands.Failure(description: "matcher \(text): \(error)")
            }
        }
        guard !parsed.isEmpty else { throw AlertsCommands.Failure(description: "a silence needs at least one matcher, e.g. alertname=HostCPUSaturated") }
        guard let length = try? DurationArgument.milliseconds(parsing: duration), length > 0 else {
            throw AlertsCommands.Failure(description: "--duration: expected a positive duration such as 1h or 30m, got '\(duration)'")
        }
        let now = UnixTime.nowMilliseconds()
        var json = JSONWriter()
        json.beginObject()
        json.key("matchers")
        json.beginArray()
        for matcher in parsed {
            json.beginObject()
            json.key("name")
            json.string(matcher.name)
            json.key("value")
            json.string(matcher.value)
            json.key("isRegex")
            json.bool(matcher.kind == .regex || matcher.kind == .notRegex)
            json.key("isEqual")
            json.bool(matcher.kind == .equal || matcher.kind == .regex)
            json.endObject()
        }
        json.endArray()
        json.key("startsAt")
        json.string(GettableSilence.time(now))
        json.key("endsAt")
        json.string(GettableSilence.time(now + length))
        json.key("createdBy")
        json.string(author)
        json.key("comment")
        json.string(comment)
        json.endObject()
        let answer = try await request(.POST, url + "/api/v2/silences", body: json.text, timeout: timeout)
        struct Created: Decodable { var silenceID: String }
        guard let created = try? JSONDecoder().decode(Created.self, from: Data(answer)) else {
            throw AlertsCommands.Failure(description: "unexpected answer from \(url): \(String(decoding: answer.prefix(200), as: UTF8.self))")
        }
        return created.silenceID
    }

    /// `query`: the silences as a table (ID, matchers, end, author, comment); active and pending
    /// ones, or expired ones only with `expired`.
    public static func query(url: String, matchers: [String], expired: Bool, timeout: TimeAmount = .seconds(10)) async throws -> String {
        let filter = matchers.map { "filter=" + escape($0) }.joined(separator: "&")
        let answer = try await request(.GET, url + "/api/v2/silences" + (filter.isEmpty ? "" : "?" + filter), timeout: timeout)
        return try table(answer, expired: expired)
    }

    /// `expire`: ends each silence now.
    public static func expire(url: String, ids: [String], timeout: TimeAmount = .seconds(10)) async throws {
        for id in ids { _ = try await request(.DELETE, url + "/api/v2/silence/" + escape(id), timeout: timeout) }
    }

    /// Percent-encodes all but RFC 3986's unreserved characters: safe in a path and a query.
    static func escape(_ text: String) -> String {
        var out = ""
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"):
                out.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                let hex = String(byte, radix: 16, uppercase: true)
                out += "%" + (hex.count == 1 ? "0" : "") + hex
            }
        }
        return out
    }

    static func table(_ answer: [UInt8], expired: Bool) throws -> String {
        struct Listed: Decodable {
            struct Status: Decodable { var state: String }
            struct Matcher: Decodable {
                var name: String
                var value: String
                var isRegex: Bool
                var isEqual: Bool?
            }
            var id: String
            var status: Status
            var matchers: [Matcher]
            var endsAt: String
            var createdBy: String
            var comment: String
        }
        guard let silences = try? JSONDecoder().decode([Listed].self, from: Data(answer)) else {
            throw AlertsCommands.Failure(description: "the agent's /api/v2/silences answer is not Alertmanager's JSON")
        }
        let shown = silences.filter { ($0.status.state == "expired") == expired }
        guard !shown.isEmpty else { return expired ? "No expired silences.\n" : "No silences.\n" }
        var rows = [["ID", "MATCHERS", "ENDS AT", "CREATED BY", "COMMENT"]]
        for silence in shown {
            let matchers = silence.matchers.map { matcher in
                let op = matcher.isRegex ? (matcher.isEqual ?? true ? "=~" : "!~") : (matcher.isEqual ?? true ? "=" : "!=")
                return matcher.name + op + JSONWriter.quoted(matcher.value)
            }.joined(separator: " ")
            rows.append([silence.id, matchers, silence.endsAt, silence.createdBy, silence.comment.replacingOccurrences(of: "\n", with: " ")])
        }
        let widths = (0..<4).map { column in rows.map { $0[column].count }.max() ?? 0 }
        return rows.map { row in
            (0..<4).map { row[$0].padding(toLength: widths[$0], withPad: " ", startingAt: 0) }.joined(separator: "  ") + "  " + row[4]
        }.joined(separator: "\n") + "\n"
    }

    private static func request(_ method: HTTPMethod, _ url: String, body: String? = nil, timeout: TimeAmount) async throws -> [UInt8] {
        let client = HTTPClient(eventLoopGroup: MultiThreadedEventLoopGroup.singleton)
        do {
            let answer = try await send(method, url, body: body, timeout: timeout, client)
            try await client.shutdown()
            return answer
        } catch {
            try? await client.shutdown()
            throw error
        }
    }

    private static func send(
        _ method: HTTPMethod, _ url: String, body: String?, timeout: TimeAmount, _ client: HTTPClient
    ) async throws -> [UInt8] {
        var request = HTTPClientRequest(url: url)
        request.method = method
        if let body {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(string: body))
        }
        let response: HTTPClientResponse
        do {
            response = try await client.execute(request, timeout: timeout)
        } catch {
            throw AlertsCommands.Failure(description: "cannot reach the agent at \(url): \(error)")
        }
        let answer = try await response.body.collect(upTo: 64 << 20)
        guard response.status == .ok else {
            // The agent's refusals are a JSON string with the reason.
            let text = String(buffer: answer)
            let reason = (try? JSONDecoder().decode(String.self, from: Data(text.utf8))) ?? text
            throw AlertsCommands.Failure(description: "\(url): \(response.status.code) \(reason.prefix(300))")
        }
        return Array(buffer: answer)
    }
}
