import Testing
@testable import AlertEngine

struct PrometheusTimestampTests {
    @Test(arguments: [
        ("0", 0), ("1764380033", 1_764_380_033_000), ("1764380033.5", 1_764_380_033_500),
        ("1764380033.123", 1_764_380_033_123), ("1764380033.0004", 1_764_380_033_000), ("1764380033.9996", 1_764_380_034_000),
        ("-1.5", -1_500), ("1e9", 1_000_000_000_000), ("+12", 12_000),
        ("2026-11-29T01:33:53Z", 1_795_916_033_000), ("2026-11-29T02:33:53.250+01:00", 1_795_916_033_250),
        ("2026-11-28T23:03:53.999999999-02:30", 1_795_916_033_999), ("1969-12-31T23:59:59.5Z", -500),
        ("2020-02-29T12:00:00Z", 1_582_977_600_000), ("9999-12-31T23:59:59Z", 253_402_300_799_000),
        ("0001-01-01T00:00:00Z", -62_135_596_800_000),
        // Prometheus' MaxTime and MinTime, whole seconds.
        ("9223309901257974", 9_223_309_901_257_974_000), ("-9223309901257974", -9_223_309_901_257_974_000),
        // …and as Prometheus' Go clients send them for "no bound".
        ("292277025-08-18T07:12:54.999999999Z", 9_223_309_901_257_974_999), ("-292273086-05-16T16:47:06Z", -9_223_309_901_257_974_000),
    ] as [(String, Int64)])
    func parses(_ text: String, _ milliseconds: Int64) throws {
        #expect(try PrometheusTimestamp.milliseconds(parsing: text) == milliseconds)
    }

    /// Each of these once trapped in the Double → Int64 conversion of `scalewatch query --time`.
    @Test(arguments: ["1e30", "1e19", "-1e30", "9223372036854775807", "-9223372036854775808", "9223309901257976", "1.7976931348623157e308"])
    func refusesOutOfRange(_ text: String) {
        #expect(throws: PrometheusTimestamp.ParseError.outOfRange(text)) { try PrometheusTimestamp.milliseconds(parsing: text) }
    }

    @Test(arguments: ["NaN", "nan", "inf", "-inf", "+Inf", "infinity"])
    func refusesNotFinite(_ text: String) {
        #expect(throws: PrometheusTimestamp.ParseError.notFinite(text)) { try PrometheusTimestamp.milliseconds(parsing: text) }
    }

    @Test(arguments: [
        "", "soon", "now", "-1h", "1_000", "2021-02-29T00:00:00Z", "2021-04-31T00:00:00Z", "2021-13-01T00:00:00Z",
        "2026-11-29T01:33:53", "2026-11-29 01:33:53Z", "2026-11-29T24:00:00Z", "2026-11-29T00:00:60Z",
        "2026-11-29T00:00:00.Z", "2026-11-29T00:00:00+0100", "20261-11-29T00:00:00Z",
        "292277025-08-18T07:12:55Z", "-292273086-05-16T16:47:05Z",
    ])
    func refusesOtherText(_ text: String) {
        #expect(throws: PrometheusTimestamp.ParseError.invalid(text)) { try PrometheusTimestamp.milliseconds(parsing: text) }
    }

    @Test func errorsSayWhatWasExpected() {
        #expect(
            PrometheusTimestamp.ParseError.invalid("soon").description
                == "expected Unix seconds (such as 1764380033.5) or an RFC 3339 time (such as 2026-11-29T01:33:53Z), got 'soon'")
        #expect(
            PrometheusTimestamp.ParseError.outOfRange("1e30").description
                == "time '1e30' is out of range: Unix seconds must lie between -9223309901257974 and 9223309901257974")
    }

    /// `@` in PromQL converts with the same bounds.
    @Test(arguments: [
        (1.5, 1_500 as Int64?), (-1.5, -1_500), (9_223_309_901_257_974, 9_223_309_901_257_974_000),
        (9.3e15, nil), (-9.3e15, nil), (1e30, nil), (.nan, nil), (.infinity, nil),
    ] as [(Double, Int64?)])
    func seconds(_ seconds: Double, _ milliseconds: Int64?) {
        #expect(PrometheusTimestamp.milliseconds(seconds: seconds) == milliseconds)
    }
}
