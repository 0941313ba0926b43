import Testing

@testable import AlertEngine

/// A parse error repeats the query around the position only, however long the query.
@Suite struct ParseErrorEchoTests {
    @Test(arguments: [
        ("(" + "1" + ")", 1, "parse error at char 1: m\n(1)\n ^"),
        (String(repeating: "(", count: 20_000) + "1" + String(repeating: ")", count: 20_000), 256,
         "parse error at char 256: m\n…" + String(repeating: "(", count: 120) + "…\n" + String(repeating: " ", count: 61) + "^"),
        (String(repeating: "a", count: 10) + String(repeating: "b", count: 100), 5,
         "parse error at char 5: m\n" + String(repeating: "a", count: 10) + String(repeating: "b", count: 55) + "…\n     ^"),
    ])
    func echoesAWindow(_ input: String, _ position: Int, _ expected: String) {
        #expect(PromQLParseError(message: "m", position: position, input: input).description == expected)
    }
}
