import MetricStore
import Testing

struct JSONWriterTests {
    @Test(arguments: [
        ("plain", "\"plain\""),
        ("say \"hi\"", "\"say \\\"hi\\\"\""),
        ("C:\\dir", "\"C:\\\\dir\""),
        ("a\nb\rc\td", "\"a\\nb\\rc\\td\""),
        ("\u{08}\u{0C}", "\"\\b\\f\""),
        ("\u{00}\u{01}\u{1F}", "\"\\u0000\\u0001\\u001f\""),
        // DEL, non-ASCII and characters outside the BMP need no escape.
        ("\u{7F}é€😀", "\"\u{7F}é€😀\""),
        ("/", "\"/\""),
    ])
    func escapesWhatRFC8259Requires(text: String, expected: String) {
        #expect(JSONWriter.quoted(text) == expected)
    }

    @Test(arguments: [
        (Int64(0), "0"), (1_700_000_000_000, "1700000000"), (1_700_000_000_500, "1700000000.5"),
        (1_700_000_000_050, "1700000000.05"), (1_700_000_000_001, "1700000000.001"), (10, "0.01"), (110, "0.11"),
        (101, "0.101"), (5, "0.005"),
        (-1, "-0.001"), (-1500, "-1.5"), (-1000, "-1"), (-999, "-0.999"), (-1_700_000_000_250, "-1700000000.25"),
        (Int64.min, "-9223372036854775.808"), (Int64.max, "9223372036854775.807"),
    ])
    func writesUnixSecondsWithTheDigitsNeeded(milliseconds: Int64, expected: String) {
        #expect(JSONWriter.unixSeconds(milliseconds: milliseconds) == expected)
    }

    static func document(_ json: inout JSONWriter) {
        json.beginObject()
        json.key("a")
        json.integer(1)
        json.key("b")
        json.beginArray()
        json.string("x")
        json.integer(-2)
        json.beginObject()
        json.endObject()
        json.endArray()
        json.key("c")
        json.beginArray()
        json.endArray()
        json.key("t")
        json.unixSeconds(milliseconds: 1500)
        json.endObject()
    }

    @Test func compact() {
        var json = JSONWriter()
        Self.document(&json)
        #expect(json.text == #"{"a":1,"b":["x",-2,{}],"c":[],"t":1.5}"#)
    }

    @Test func indented() {
        var json = JSONWriter(indentation: 2)
        Self.document(&json)
        #expect(json.text == "{\n  \"a\": 1,\n  \"b\": [\n    \"x\",\n    -2,\n    {}\n  ],\n  \"c\": [],\n  \"t\": 1.5\n}")
    }

    @Test func aTopLevelScalar() {
        var json = JSONWriter()
        json.string("only")
        #expect(json.text == "\"only\"")
    }
}
