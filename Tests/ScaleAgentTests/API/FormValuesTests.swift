import Testing

@testable import ScaleAgent

/// Form decoding as Go's `ParseForm`: body before query string, `+` and `%XX`, bad escapes refused.
@Suite struct FormValuesTests {
    @Test(arguments: [
        ("query=up", "query", "up"),
        ("query=rate(x%5B5m%5D)", "query", "rate(x[5m])"),
        ("query=a+b", "query", "a b"),
        ("query=a%2Bb", "query", "a+b"),
        ("a=1&&query=%E2%9C%93", "query", "✓"),
        ("query", "query", ""),
        ("query=x=y", "query", "x=y"),
        ("other=1", "query", ""),
    ])
    func decodes(_ encoded: String, _ name: String, _ expected: String) throws {
        #expect(try FormValues(query: encoded, body: nil).value(name) == expected)
    }

    @Test func bodyComesFirstAndRepeatsKeepTheirOrder() throws {
        let form = try FormValues(query: "query=fromURL&match[]=c", body: "query=fromBody&match%5B%5D=a&match[]=b")
        #expect(form.value("query") == "fromBody")
        #expect(form.values("match[]") == ["a", "b", "c"])
        #expect(form.has("match[]") && !form.has("time"))
    }

    @Test(arguments: ["query=%", "query=%4", "query=%zz", "%G0=1"])
    func badEscapesAreBadData(_ encoded: String) {
        #expect {
            try FormValues(query: encoded, body: nil)
        } throws: { error in
            guard let error = error as? APIError else { return false }
            return error.kind == .badData && error.message.hasPrefix("error parsing form values: invalid URL escape")
        }
    }
}
