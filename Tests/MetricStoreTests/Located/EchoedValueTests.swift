import MetricStore
import Testing

/// What messages and log lines repeat of a value from outside.
@Suite struct EchoedValueTests {
    @Test(arguments: [
        ("", ""),
        ("/var/lib/scalewatch", "/var/lib/scalewatch"),
        (String(repeating: "a", count: 256), String(repeating: "a", count: 256)),
        (String(repeating: "a", count: 257), String(repeating: "a", count: 256) + "…(1 more bytes)"),
        // Cut between scalars, never inside one; the count is of bytes left out.
        (String(repeating: "é", count: 300), String(repeating: "é", count: 256) + "…(88 more bytes)"),
    ])
    func echoes(_ value: String, _ expected: String) {
        #expect(EchoedValue(value).description == expected)
    }

    @Test func aTenMegabyteValueBecomesAShortEcho() {
        let value = "/tmp/" + String(repeating: "a", count: 10_000_000)
        let echoed = EchoedValue(value).description
        #expect(echoed.utf8.count < 300)
        #expect(echoed.hasSuffix("…(9999749 more bytes)"))
    }
}
