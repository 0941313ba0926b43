import AlertEngine
import Logging
import TestSupport
import Testing

@testable import ScaleAgent

/// `/api/v2/silences` and `/api/v2/silence/<id>` over HTTP in Alertmanager's shapes, with the
/// server's clock at 2023-11-14T23:13:20Z; the silences survive a new store on the same
/// directory (a restart).
@Suite struct SilencesEndpointsTests {
    static let body =
        #"{"matchers":[{"name":"alertname","value":"TargetDown","isRegex":false},{"name":"job","value":"b|c","isRegex":true,"isEqual":false}],"#
        + #""startsAt":"2023-11-14T23:00:00Z","endsAt":"2023-11-15T01:00:00Z","createdBy":"ops","comment":"deploy"}"#

    private static func id(_ text: String) throws -> String {
        try #require(text.firstMatch(of: /^\{"silenceID":"([0-9a-f-]{36})"\}$/)).output.1.description
    }

    @Test func createGetListExpire() async throws {
        try await APIServerUnderTest.with { server in
            #expect(try await server.get("/api/v2/silences").text == "[]")
            let created = try await server.send(.POST, "/api/v2/silences", json: Self.body)
            #expect(created.status == .ok)
            let id = try Self.id(created.text)
            let expected =
                #"{"id":"\#(id)","status":{"state":"active"},"updatedAt":"2023-11-14T23:13:20.000Z","comment":"deploy","#
                + #""createdBy":"ops","endsAt":"2023-11-15T01:00:00.000Z","matchers":["#
                + #"{"isEqual":true,"isRegex":false,"name":"alertname","value":"TargetDown"},"#
                + #"{"isEqual":false,"isRegex":true,"name":"job","value":"b|c"}],"#
                // A silence cannot start in the past: it starts when it was created.
                + #""startsAt":"2023-11-14T23:13:20.000Z"}"#
            let one = try await server.get("/api/v2/silence/\(id)")
            #expect(one.status == .ok)
            #expect(one.headers.first(name: "Content-Type") == "application/json")
            #expect(one.text == expected)
            #expect(try await server.get("/api/v2/silences").text == "[\(expected)]")
            #expect(try await server.get("/api/v2/silences?filter=alertname%3D%22TargetDown%22").text == "[\(expected)]")
            #expect(try await server.get("/api/v2/silences?filter=alertname%3D%22Other%22").text == "[]")
            #expect(server.silences.current.silencing(.init(["alertname": "TargetDown", "job": "a"]), at: APIServerUnderTest.end) == [id])

            let deleted = try await server.send(.DELETE, "/api/v2/silence/\(id)")
            #expect(deleted.status == .ok)
            #expect(try await server.get("/api/v2/silence/\(id)").text.contains(#""status":{"state":"expired"}"#))
            let again = try await server.send(.DELETE, "/api/v2/silence/\(id)")
            #expect(again.status == .badRequest)
            #expect(again.text == #""silence \#(id) already expired""#)

            let reopened = SilenceStore(directory: server.directory.path, logger: Logger(label: "test"), now: { APIServerUnderTest.end })
            reopened.open()
            #expect(reopened.current == server.silences.current)
        }
    }

    @Test func updateInPlaceKeepsTheID() async throws {
        try await APIServerUnderTest.with { server in
            let id = try Self.id(try await server.send(.POST, "/api/v2/silences", json: Self.body).text)
            let longer = Self.body.replacing(#""matchers""#, with: #""id":"\#(id)","matchers""#)
                .replacing("2023-11-14T23:00:00Z", with: "2023-11-14T23:13:20Z").replacing("2023-11-15T01:00:00Z", with: "2023-11-15T05:00:00Z")
            #expect(try Self.id(try await server.send(.POST, "/api/v2/silences", json: longer).text) == id)
            #expect(try await server.get("/api/v2/silence/\(id)").text.contains(#""endsAt":"2023-11-15T05:00:00.000Z""#))
        }
    }

    @Test(arguments: [
        ("not json", nil),
        (#"{"startsAt":"2023-11-14T23:00:00Z","endsAt":"2023-11-15T01:00:00Z","createdBy":"ops","comment":"c"}"#, #""matchers in body is required""#),
        (body.replacing(#""createdBy":"ops","#, with: ""), #""createdBy in body is required""#),
        (body.replacing("2023-11-15T01:00:00Z", with: "tomorrow"), #""endsAt in body must be of type date-time: \"tomorrow\"""#),
        (body.replacing("2023-11-15T01:00:00Z", with: "2023-11-14T22:00:00Z"), #""start time must be before end time""#),
        (body.replacing(#""value":"b|c""#, with: #""value":"(""#), nil),
        (#"{"matchers":[{"name":"job","value":".*","isRegex":true}],"startsAt":"2023-11-14T23:00:00Z","endsAt":"2023-11-15T01:00:00Z","createdBy":"o","comment":"c"}"#,
         #""at least one matcher must not match the empty string""#),
        (#"{"matchers":{"name":"job"}}"#, nil),
    ])
    func badSilencesAreRefused(_ body: String, _ message: String?) async throws {
        try await APIServerUnderTest.with { server in
            let response = try await server.send(.POST, "/api/v2/silences", json: body)
            #expect(response.status == .badRequest)
            if let message { #expect(response.text == message) } else { #expect(response.text.hasPrefix("\"") && response.text.count > 10) }
            #expect(server.silences.current.all.isEmpty)
        }
    }

    @Test func unknownIDsAreNotFound() async throws {
        try await APIServerUnderTest.with { server in
            #expect(try await server.get("/api/v2/silence/nope").status == .notFound)
            #expect(try await server.send(.DELETE, "/api/v2/silence/nope").status == .notFound)
            let update = Self.body.replacing(#""matchers""#, with: #""id":"nope","matchers""#)
            let response = try await server.send(.POST, "/api/v2/silences", json: update)
            #expect(response.status == .notFound)
            #expect(response.text == #""silence nope not found""#)
        }
    }

    @Test func aDamagedFileIsSetAside() throws {
        let directory = TestDirectory(prefix: "silences")
        defer { directory.remove() }
        let path = try directory.write(SilenceStore.relativePath, #"{"format":"scalewatch-silences","version":9,"silences":[]}"#)
        let store = SilenceStore(directory: directory.path, logger: Logger(label: "test"))
        store.open()
        #expect(store.current.all.isEmpty)
        #expect(try FileReading.optionalString(atPath: path) == nil)
        #expect(try FileReading.optionalString(atPath: path + ".corrupt") != nil)
    }
}
