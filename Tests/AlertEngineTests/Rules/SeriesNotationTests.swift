import MetricStore
import Testing

@testable import AlertEngine

struct SeriesNotationTests {
    /// Bit patterns, so that NaN, -0 and the stale marker compare exactly.
    static func bits(_ values: [Double?]) -> [UInt64?] {
        values.map { $0?.bitPattern }
    }

    static let stale = StaleMarker.value
    static let goNaN = Double(bitPattern: 0x7FF8_0000_0000_0001)

    @Test(arguments: [
        // The examples of Prometheus' unit-testing documentation.
        ("1+1x3", [1, 2, 3, 4]),
        ("-2+4x3", [-2, 2, 6, 10]),
        (" 1-2x4", [1, -1, -3, -5, -7]),
        (" 1x4", [1, 1, 1, 1, 1]),
        (" 1 _x3 stale", [1, nil, nil, nil, stale]),
        ("1 _ 3 stale", [1, nil, 3, stale]),
        ("1-1x2", [1, 0, -1]),
        ("1+0x6 0 0", [1, 1, 1, 1, 1, 1, 1, 0, 0]),
        ("10+10x2 30+20x5", [10, 20, 30, 30, 50, 70, 90, 110, 130]),
        // `axn` is n+1 values, `_xn` only n; x0 is one value and no gap.
        ("1x0 _x0 _x2 5 1+1x1", [1, nil, nil, 5, 1, 2]),
        ("", []),
        (" \t ", []),
        ("1\t2\n3  ", [1, 2, 3]),
        // Numbers as PromQL reads them, checked against promtool: a leading 0 is octal.
        ("010 08 1e3 -Inf inf 0.5e-1 .5 +7 1. INF", [8, 8, 1000, -.infinity, .infinity, 0.05, 0.5, 7, 1, .infinity]),
        ("1.5x2 1e3x1 1x03", [1.5, 1.5, 1.5, 1000, 1000, 1, 1, 1, 1]),
        ("Inf+1x1 -Inf-1x1", [.infinity, .infinity, -.infinity, -.infinity]),
        // Each value is the previous plus the step, rounded as Prometheus rounds it.
        ("0.1+0.1x3", [0.1, 0.2, 0.30000000000000004, 0.4]),
        // No hexadecimal: `0x10` is 0 repeated, as in Prometheus.
        ("0x10", Array(repeating: 0, count: 11)),
        ("NaN -nan", [goNaN, -goNaN]),
        ("-0", [-0.0]),
    ] as [(String, [Double?])])
    func expands(text: String, values: [Double?]) throws {
        #expect(Self.bits(try SeriesNotation.expand(text)) == Self.bits(values))
    }

    @Test func expandsLongRuns() throws {
        let values = try SeriesNotation.expand("0+10x1000")
        #expect(values.count == 1001)
        #expect(values.last == 10_000)
    }

    @Test(arguments: [("1x5 _x5", 5), ("1x4 2 3 4 5 6 7", 15), ("1+1x10", 1), ("1x3 _x4 1 2 3", 13)])
    func refusesExpansionsPastTheBound(text: String, column: Int) {
        #expect(throws: SeriesNotationError(offset: column - 1, "the series expands to more than 10 values")) {
            try SeriesNotation.expand(text, maximumValues: 10)
        }
        #expect(throws: Never.self) { try SeriesNotation.expand(text, maximumValues: 20) }
    }

    @Test func staleIsThePrometheusMarker() throws {
        let values = try SeriesNotation.expand("stale")
        #expect(values.count == 1)
        #expect(StaleMarker.isStale(values[0]!))
    }

    @Test(arguments: [
        ("1 a", 3, "unexpected \"a\" in series values, expected a number, '_' or 'stale'"),
        ("1 Infinity", 3, "unexpected \"Infinity\""),
        ("Infx2", 1, "unexpected \"Infx2\""),
        ("stalex3", 1, "unexpected \"stalex3\""),
        ("Stale", 1, "unexpected \"Stale\""),
        ("stale+1x2", 6, "'stale' stands alone: it cannot be incremented or repeated"),
        ("1+1", 4, "expected 'x' and a repetition count after the increment, as in 1+2x3"),
        ("1+1 2", 4, "expected 'x' and a repetition count after the increment"),
        ("1x", 3, "expected a repetition count after 'x', as in 1x3"),
        ("1x-2", 3, "expected a repetition count after 'x'"),
        ("1x1.5", 3, "bad repetition count \"1.5\", expected a whole number"),
        ("1x3x4", 3, "bad repetition count \"3x4\""),
        ("0x1F", 3, "bad repetition count \"1F\""),
        ("_+1x3", 2, "'_' has no value to increment; '_xn' gives n steps without a sample"),
        ("_x", 3, "expected a repetition count after 'x'"),
        ("_5", 2, "unexpected '5' in series values, expected a space before the next value"),
        ("1..2", 3, "unexpected '.' in series values, expected a space"),
        ("1 + 1x3", 4, "unexpected ' ' in series values, expected a number"),
        ("1+-1x3", 3, "unexpected '-' in series values, expected a number"),
        ("1 -stale", 4, "unexpected \"stale\" in series values, expected a number"),
        ("-", 2, "expected a number after '-'"),
        ("1e", 1, "bad number \"1e\""),
        ("5a", 1, "bad number \"5a\""),
        ("1_000", 1, "bad number \"1_000\""),
        ("1e400", 1, "bad number \"1e400\""),
        ("2 @", 3, "unexpected '@' in series values, expected a number, '_' or 'stale'"),
        ("1x99999999999", 1, "the series expands to more than 10000000 values"),
        ("1x9223372036854775807", 1, "the series expands to more than 10000000 values"),
        ("1x99999999999999999999", 3, "bad repetition count \"99999999999999999999\""),
    ])
    func reportsTheColumn(text: String, column: Int, message: String) {
        #expect {
            _ = try SeriesNotation.expand(text)
        } throws: { error in
            guard let error = error as? SeriesNotationError else { return false }
            #expect(error.column == column, "\(error)")
            #expect(error.message.contains(message), "\(error)")
            return true
        }
    }
}
