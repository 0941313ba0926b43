import Testing
@testable import AlertEngine

struct PrometheusDurationTests {
    @Test(arguments: [
        ("0", 0), ("0s", 0), ("500ms", 500), ("5s", 5_000), ("5m", 300_000), ("1h", 3_600_000),
        ("1h30m", 5_400_000), ("2d", 172_800_000), ("1w", 604_800_000), ("1y", 31_536_000_000),
        ("1y2w3d4h5m6s7ms", 31_536_000_000 + 1_209_600_000 + 259_200_000 + 14_400_000 + 300_000 + 6_000 + 7),
        ("90m", 5_400_000), ("1m1ms", 60_001), ("90s", 90_000), ("010s", 10_000),
        // The longest duration Prometheus' time.Duration holds, to the millisecond.
        ("106751d23h47m16s854ms", 9_223_372_036_854), ("9223372036854ms", 9_223_372_036_854), ("292y", 9_208_512_000_000),
    ] as [(String, Int64)])
    func parses(_ text: String, _ milliseconds: Int64) throws {
        #expect(try PrometheusDuration.milliseconds(parsing: text) == milliseconds)
    }

    @Test(arguments: [
        ("", PrometheusDuration.ParseError.empty),
        ("5", .invalid("5")), ("m", .invalid("m")), ("5m1h", .invalid("5m1h")), ("1h1h", .invalid("1h1h")),
        ("-5m", .invalid("-5m")), ("1ms1s", .invalid("1ms1s")), ("1s500", .invalid("1s500")),
        ("5mm", .unknownUnit("mm", in: "5mm")), ("1.5h", .unknownUnit(".", in: "1.5h")), ("5M", .unknownUnit("M", in: "5M")),
        ("5 m", .unknownUnit(" m", in: "5 m")), ("1µs", .unknownUnit("µs", in: "1µs")),
    ])
    func refuses(_ text: String, _ error: PrometheusDuration.ParseError) {
        #expect(throws: error) { try PrometheusDuration.milliseconds(parsing: text) }
    }

    /// Anything past Int64 nanoseconds, as Prometheus refuses it; once a crash in the config
    /// reader (`292471208y52w` overflowed Int64 milliseconds while adding).
    @Test(arguments: [
        "9223372036854775808ms", "300000000y", "106751991167d8h", "99999999999999999999y", "9223372036854775807s",
        "292471208y52w", "292471208y", "293y", "106751d23h47m16s855ms", "9223372036855ms",
    ])
    func refusesOutOfRange(_ text: String) {
        #expect(throws: PrometheusDuration.ParseError.outOfRange(text)) { try PrometheusDuration.milliseconds(parsing: text) }
    }

    @Test(arguments: [
        (PrometheusDuration.ParseError.empty, "empty duration string"),
        (.invalid("1m1h"), #"not a valid duration string: "1m1h""#),
        (.unknownUnit("x", in: "5x"), #"unknown unit "x" in duration "5x""#),
        (.outOfRange("300y"), "duration out of range"),
    ])
    func errorsSayWhatPrometheusSays(_ error: PrometheusDuration.ParseError, _ message: String) {
        #expect(error.description == message)
    }

    @Test(arguments: [
        (0, "0s"), (1, "1ms"), (500, "500ms"), (1_500, "1s500ms"), (300_000, "5m"), (5_400_000, "1h30m"),
        (86_400_000, "1d"), (86_400_000 + 1, "1d1ms"), (604_800_000, "1w"), (691_200_000, "8d"), (1_209_600_000, "2w"),
        (90 * 86_400_000, "90d"), (31_536_000_000, "1y"), (31_622_400_000, "366d"), (3_723_004, "1h2m3s4ms"),
        (-300_000, "-5m"), (-60_000, "-1m"), (9_223_372_036_854, "106751d23h47m16s854ms"),
        (Int64.max, "106751991167d7h12m55s807ms"), (Int64.min, "-106751991167d7h12m55s808ms"),
    ] as [(Int64, String)])
    func formatsLikePrometheus(_ milliseconds: Int64, _ text: String) throws {
        #expect(PrometheusDuration.format(milliseconds: milliseconds) == text)
        if (0...PrometheusDuration.maxMilliseconds).contains(milliseconds) {
            #expect(try PrometheusDuration.milliseconds(parsing: text) == milliseconds)
        }
    }

    @Test(arguments: [
        (1.5, 1_500), (0.0005, 1), (-2, -2_000), (9_223_372_036.854, 9_223_372_036_854), (-9_223_372_036.854, -9_223_372_036_854),
    ] as [(Double, Int64)])
    func secondsRoundToMilliseconds(_ seconds: Double, _ milliseconds: Int64) {
        #expect(PrometheusDuration.milliseconds(seconds: seconds) == milliseconds)
    }

    @Test(arguments: [Double.infinity, -.infinity, .nan, 1e17, 1e30, 9_223_372_036.855, -9_223_372_037, Double.greatestFiniteMagnitude])
    func secondsOutOfRange(_ seconds: Double) {
        #expect(PrometheusDuration.milliseconds(seconds: seconds) == nil)
    }
}
