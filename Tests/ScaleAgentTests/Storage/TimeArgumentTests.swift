import AlertEngine
import Testing

@testable import ScaleAgent

/// `scalewatch query --time/--start/--end` and `export --start/--end`.
@Suite struct TimeArgumentTests {
    @Test(arguments: [
        ("1764380033.5", 1_764_380_033_500), ("-1.5", -1_500), ("2026-11-29T01:33:53Z", 1_795_916_033_000),
        ("2026-11-29 01:33:53Z", 1_795_916_033_000), ("2026-11-29 02:33:53.250+01:00", 1_795_916_033_250),
    ] as [(String, Int64)])
    func parses(_ text: String, _ milliseconds: Int64) throws {
        #expect(try TimeArgument.parse(text) == milliseconds)
    }

    /// Each of these once trapped converting to Int64 (SIGILL in `scalewatch query --time 1e30`).
    @Test(arguments: [
        ("1e30", PrometheusTimestamp.ParseError.outOfRange("1e30")), ("1e19", .outOfRange("1e19")), ("-1e30", .outOfRange("-1e30")),
        ("9223372036854775807", .outOfRange("9223372036854775807")), ("NaN", .notFinite("NaN")), ("inf", .notFinite("inf")),
        ("2026-11-29 25:00:00Z", .invalid("2026-11-29 25:00:00Z")), ("soon", .invalid("soon")),
    ])
    func refuses(_ text: String, _ error: PrometheusTimestamp.ParseError) {
        #expect(throws: error) { try TimeArgument.parse(text) }
    }
}
