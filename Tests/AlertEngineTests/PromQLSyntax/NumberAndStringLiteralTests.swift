import Testing
@testable import AlertEngine

/// The printer's spelling of numbers (Go's `FormatFloat(v, 'f', -1, 64)`) and strings (Go's
/// `strconv.Quote`).
struct NumberAndStringLiteralTests {
    @Test(arguments: [
        (0, "0"), (-0.0, "-0"), (1, "1"), (-1.5, "-1.5"), (0.1, "0.1"), (1e-7, "0.0000001"),
        (123456.789, "123456.789"), (1e21, "1000000000000000000000"), (1.5e20, "150000000000000000000"),
        (2.5e-10, "0.00000000025"), (1 / 3, "0.3333333333333333"), (.infinity, "+Inf"),
        (-.infinity, "-Inf"), (.nan, "NaN"), (9007199254740992, "9007199254740992"), (123e300, "123" + String(repeating: "0", count: 300)),
    ] as [(Double, String)])
    func formatsNumbers(_ value: Double, _ text: String) {
        #expect(GoFloatFormat.shortestFixed(value) == text)
    }

    @Test(arguments: [
        ("10", 10), ("0x10", 16), ("010", 8), ("0_10", 8), ("08", 8), ("1_0.5", 10.5), ("1e3", 1000),
    ] as [(String, Double)])
    func readsNumbers(_ text: String, _ value: Double) {
        #expect(PromQLNumberLiteral.value(of: text) == .success(value))
    }

    @Test(arguments: ["_1", "1_", "1__0", "1_.5", "0x", "0x1_", "0xG", "."])
    func rejectsMalformedNumbers(_ text: String) {
        #expect(PromQLNumberLiteral.value(of: text) == .failure(.syntax))
    }

    @Test(arguments: [
        ("plain", "\"plain\""), ("say \"hi\"", #""say \"hi\"""#), ("back\\slash", #""back\\slash""#),
        ("line\nbreak\ttab\r", #""line\nbreak\ttab\r""#), ("\u{07}\u{08}\u{0C}\u{0B}", #""\a\b\f\v""#),
        ("\u{01}\u{7F}", #""\x01\x7f""#), ("é€😀", "\"é€😀\""), ("\u{00A0}\u{200B}", #""\u00a0\u200b""#),
        ("\u{E0001}", #""\U000e0001""#), ("'", "\"'\""),
    ] as [(String, String)])
    func quotesStrings(_ text: String, _ quoted: String) throws {
        #expect(GoQuote.quote(text) == quoted)
        #expect(try PromQLParser.parse(quoted) == .string(text))
    }
}
