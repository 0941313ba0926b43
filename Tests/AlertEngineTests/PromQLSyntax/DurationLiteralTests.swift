import Testing
@testable import AlertEngine

struct DurationLiteralTests {
    @Test(arguments: [
        ("0", 0), ("0s", 0), ("500ms", 500), ("5s", 5_000), ("5m", 300_000), ("1h", 3_600_000),
        ("1h30m", 5_400_000), ("2d", 172_800_000), ("1w", 604_800_000), ("1y", 31_536_000_000),
        ("1y2w3d4h5m6s7ms", 31_536_000_000 + 1_209_600_000 + 259_200_000 + 14_400_000 + 300_000 + 6_000 + 7),
        ("90m", 5_400_000), ("1m1ms", 60_001),
    ] as [(String, Int64)])
    func parses(_ text: String, _ milliseconds: Int64) throws {
        #expect(try DurationLiteral.milliseconds(text) == milliseconds)
    }

    @Test(arguments: ["", "5", "m", "5m1h", "1h1h", "5mm", "1.5h", "5M", "-5m", "1ms1s", "5 m"])
    func rejects(_ text: String) {
        #expect(throws: DurationLiteral.Failure.invalid(text)) { try DurationLiteral.milliseconds(text) }
    }

    @Test(arguments: ["9223372036854775808ms", "300000000y", "106751991167d8h"])
    func rejectsOverflow(_ text: String) {
        #expect(throws: DurationLiteral.Failure.outOfRange(text)) { try DurationLiteral.milliseconds(text) }
    }

    @Test(arguments: [
        (0, "0s"), (1, "1ms"), (1_500, "1s500ms"), (300_000, "5m"), (5_400_000, "1h30m"),
        (86_400_000, "1d"), (604_800_000, "1w"), (691_200_000, "8d"), (1_209_600_000, "2w"),
        (31_536_000_000, "1y"), (31_622_400_000, "366d"), (3_723_004, "1h2m3s4ms"), (-300_000, "-5m"),
    ] as [(Int64, String)])
    func formatsLikePrometheus(_ milliseconds: Int64, _ text: String) throws {
        #expect(DurationLiteral.format(milliseconds: milliseconds) == text)
        if milliseconds >= 0 {
            #expect(try DurationLiteral.milliseconds(text) == milliseconds)
        }
    }

    @Test func secondsRoundToMilliseconds() {
        #expect(DurationLiteral.milliseconds(seconds: 1.5) == 1_500)
        #expect(DurationLiteral.milliseconds(seconds: 0.0005) == 1)
        #expect(DurationLiteral.milliseconds(seconds: -2) == -2_000)
        #expect(DurationLiteral.milliseconds(seconds: .infinity) == nil)
        #expect(DurationLiteral.milliseconds(seconds: .nan) == nil)
        #expect(DurationLiteral.milliseconds(seconds: 1e17) == nil)
    }
}
