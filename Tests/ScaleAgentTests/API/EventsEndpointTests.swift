import Testing

@testable import ScaleAgent

/// `/api/v1/events`: newest first, the kind and limit filters, and their refusals.
@Suite struct EventsEndpointTests {
    static let events = [
        NotableLogEvent(time: 1_700_000_000, kind: .oomKill, summary: "killed a", details: ["process": "a", "pid": "1"]),
        NotableLogEvent(time: 1_700_000_060.5, kind: .unitFailure, summary: "app.service failed", details: ["unit": "app.service"]),
        NotableLogEvent(time: 1_700_000_120, kind: .oomKill, summary: "killed \"b\"", details: ["process": "b"]),
    ]

    static func body(_ query: String) throws -> String {
        try EventsEndpoint(events: { events }).body(APIParameters(form: FormValues(query: query, body: nil)))
    }

    @Test func newestFirstWithDetailsSorted() throws {
        #expect(try Self.body("") == #"""
            {"status":"success","data":[\#
            {"time":"2023-11-14T22:15:20Z","kind":"oom_kill","summary":"killed \"b\"","details":{"process":"b"}},\#
            {"time":"2023-11-14T22:14:20.5Z","kind":"unit_failure","summary":"app.service failed","details":{"unit":"app.service"}},\#
            {"time":"2023-11-14T22:13:20Z","kind":"oom_kill","summary":"killed a","details":{"pid":"1","process":"a"}}]}
            """#)
    }

    @Test func kindAndLimitFilter() throws {
        let body = try Self.body("kind=oom_kill&limit=1")
        #expect(body.contains(#""process":"b""#))
        #expect(!body.contains(#""process":"a""#))
        #expect(try Self.body("kind=unit_failure").components(separatedBy: #""kind""#).count == 2)
        #expect(try Self.body("") == Self.body("limit=0"))
    }

    @Test(arguments: [
        ("kind=oom", #"invalid parameter "kind": unknown kind "oom"; expected one of oom_kill, unit_failure, postgres_error"#),
        ("limit=-1", #"invalid parameter "limit": limit must be non-negative"#),
        ("limit=x", #"invalid parameter "limit": strconv.Atoi: parsing "x": invalid syntax"#),
    ])
    func badParametersAreRefused(query: String, message: String) {
        #expect(throws: APIError(.badData, message)) { try Self.body(query) }
    }

    @Test func absurdTimesDoNotTrap() throws {
        let odd = [NotableLogEvent(time: .infinity, kind: .oomKill, summary: "", details: [:]),
                   NotableLogEvent(time: -1e300, kind: .oomKill, summary: "", details: [:])]
        let body = try EventsEndpoint(events: { odd }).body(APIParameters(form: FormValues()))
        #expect(body.hasPrefix(#"{"status":"success","data":[{"time":"#))
    }
}
