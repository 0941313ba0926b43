import Testing

@testable import AlertEngine

struct YAMLNumberTests {
    @Test(arguments: [
        ("1", 1), ("-2.5e3", -2500), ("+.5", 0.5), ("1.", 1), ("1e-2", 0.01), ("0x1F", 31), ("0o17", 15),
        (".inf", .infinity), ("+.Inf", .infinity), ("-.INF", -.infinity),
    ] as [(String, Double)])
    func parses(text: String, value: Double) {
        #expect(YAMLNumber.parse(text) == value)
    }

    @Test(arguments: [".nan", ".NaN", ".NAN"])
    func parsesNaN(text: String) {
        #expect(YAMLNumber.parse(text)?.isNaN == true)
    }

    // YAML reads these as strings; Swift's Double(_:) would take several of them.
    @Test(arguments: ["", "inf", "Inf", "nan", "NaN", "infinity", "0x1p3", "1e", ".", "-", "1_000", "0x", "0o8", "1.2.3", " 1", "e5"])
    func refuses(text: String) {
        #expect(YAMLNumber.parse(text) == nil)
    }
}
