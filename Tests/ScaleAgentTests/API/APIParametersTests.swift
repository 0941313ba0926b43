import Testing

@testable import ScaleAgent

/// Parameters read as Prometheus' API reads them, and every refusal with its message.
@Suite struct APIParametersTests {
    private func parameters(_ query: String) throws -> APIParameters {
        APIParameters(form: try FormValues(query: query, body: nil))
    }

    @Test(arguments: [
        ("1700000000", 1_700_000_000_000), ("1700000000.5", 1_700_000_000_500), ("1700000000.0004", 1_700_000_000_000),
        ("-1.5", -1_500), ("2023-11-14T22:13:20Z", 1_700_000_000_000), ("2023-11-14T23:13:20.25+01:00", 1_700_000_000_250),
        ("1e9", 1_000_000_000_000),
    ] as [(String, Int64)])
    func times(_ text: String, _ milliseconds: Int64) throws {
        #expect(try parameters("time=\(text.replacingPlus())").time("time", default: 0) == milliseconds)
    }

    @Test func anAbsentOptionalTimeIsItsDefault() throws {
        #expect(try parameters("").time("time", default: 42) == 42)
        #expect(try parameters("start=").time("start", default: APIParameters.minTime) == APIParameters.minTime)
    }

    @Test(arguments: [
        ("15", 15_000), ("0.5", 500), ("1m30s", 90_000), ("5m", 300_000), ("-1", -1_000), ("1h", 3_600_000), ("0", 0),
    ] as [(String, Int64)])
    func durations(_ text: String, _ milliseconds: Int64) throws {
        #expect(try parameters("step=\(text)").duration("step") == milliseconds)
    }

    @Test(arguments: [
        ("time=yesterday", "time", #"invalid parameter "time": invalid time value for 'time': cannot parse "yesterday" to a valid timestamp"#),
        ("time=NaN", "time", #"invalid parameter "time": invalid time value for 'time': cannot parse "NaN" to a valid timestamp"#),
        ("time=1e300", "time", #"invalid parameter "time": invalid time value for 'time': cannot parse "1e300" to a valid timestamp"#),
    ])
    func badOptionalTimes(_ query: String, _ name: String, _ message: String) throws {
        let parameters = try parameters(query)
        #expect(throws: APIError(.badData, message)) { try parameters.time(name, default: 0) }
    }

    @Test(arguments: [
        ("", "start", #"invalid parameter "start": cannot parse "" to a valid timestamp"#),
        ("start=x", "start", #"invalid parameter "start": cannot parse "x" to a valid timestamp"#),
    ])
    func badRequiredTimes(_ query: String, _ name: String, _ message: String) throws {
        let parameters = try parameters(query)
        #expect(throws: APIError(.badData, message)) { try parameters.time(name) }
    }

    @Test(arguments: [
        ("step=", #"invalid parameter "step": cannot parse "" to a valid duration"#),
        ("step=5x", #"invalid parameter "step": cannot parse "5x" to a valid duration"#),
        ("step=1e30", #"invalid parameter "step": cannot parse "1e30" to a valid duration. It overflows int64"#),
        ("step=inf", #"invalid parameter "step": cannot parse "inf" to a valid duration. It overflows int64"#),
    ])
    func badDurations(_ query: String, _ message: String) throws {
        let parameters = try parameters(query)
        #expect(throws: APIError(.badData, message)) { try parameters.duration("step") }
    }

    @Test(arguments: [("", 0), ("limit=0", 0), ("limit=7", 7)])
    func limits(_ query: String, _ limit: Int) throws {
        #expect(try parameters(query).limit() == limit)
    }

    @Test(arguments: [
        ("limit=x", #"invalid parameter "limit": strconv.Atoi: parsing "x": invalid syntax"#),
        ("limit=-1", #"invalid parameter "limit": limit must be non-negative"#),
    ])
    func badLimits(_ query: String, _ message: String) throws {
        let parameters = try parameters(query)
        #expect(throws: APIError(.badData, message)) { try parameters.limit() }
    }

    @Test func matcherSetsOnePerMatch() throws {
        let sets = try parameters("match[]=up&match[]=%7Bjob%3D~%22a.*%22%2Cx%21%3D%22%22%7D").matcherSets()
        #expect(sets.map { $0.map(\.description) } == [[#"__name__="up""#], [#"job=~"a.*""#, #"x!="""#]])
    }

    @Test(arguments: ["match[]=%7Bjob%3D~%22.*%22%7D", "match[]=%7Bx%3D%22%22%7D"])
    func matchersThatMatchEverythingAreRefused(_ query: String) throws {
        let parameters = try parameters(query)
        #expect {
            try parameters.matcherSets()
        } throws: { error in
            (error as? APIError)?.message.hasPrefix("parse error at char 0: vector selector must contain at least one non-empty matcher")
                == true
        }
    }

    @Test func aSelectorThatDoesNotParseIsBadData() throws {
        let parameters = try parameters("match[]=%7Bjob%3D%7D")
        #expect {
            try parameters.matcherSets()
        } throws: { ($0 as? APIError)?.kind == .badData }
    }
}

extension String {
    /// A time such as `+01:00` in a query string: `+` would read as a space.
    fileprivate func replacingPlus() -> String {
        var out = ""
        for character in self { out += character == "+" ? "%2B" : String(character) }
        return out
    }
}
