import Testing

@testable import AlertEngine

struct RuleDurationTests {
    @Test(arguments: [
        ("0", 0), ("0s", 0), ("500ms", 500), ("5m", 300_000), ("1h30m", 5_400_000), ("1d", 86_400_000),
        ("1w", 604_800_000), ("1y", 31_536_000_000), ("1y2w3d4h5m6s7ms", 31_536_000_000 + 2 * 604_800_000 + 3 * 86_400_000 + 4 * 3_600_000 + 5 * 60_000 + 6000 + 7),
        ("90s", 90_000), ("010s", 10_000),
    ] as [(String, Int64)])
    func parses(text: String, milliseconds: Int64) {
        #expect((try? DurationLiteral.milliseconds(text)) == milliseconds)
    }

    @Test(arguments: ["", "5", "1.5h", "1m1h", "1h1h", "-5m", "5 m", "5M", "1ms1s", "m", "5mm", "1s500", "99999999999999999999y", "9223372036854775807s"])
    func refuses(text: String) {
        #expect((try? DurationLiteral.milliseconds(text)) == nil)
    }

    @Test(arguments: [
        (0, "0s"), (500, "500ms"), (5_400_000, "1h30m"), (604_800_000, "1w"), (90 * 86_400_000, "90d"), (31_536_000_000, "1y"),
        (86_400_000 + 1, "1d1ms"), (-60_000, "-1m"),
    ] as [(Int64, String)])
    func formats(milliseconds: Int64, text: String) {
        #expect(DurationLiteral.format(milliseconds: milliseconds) == text)
    }
}
