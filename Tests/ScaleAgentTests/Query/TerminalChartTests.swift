import AlertEngine
import MetricStore
import Testing

@testable import ScaleAgent

/// The terminal chart of a range result, compared line by line: glyphs scaled per series, gaps,
/// min/max/last, labels cut to the width, and the time axis.
@Suite struct TerminalChartTests {
    static let start: Int64 = 1_700_000_000_000  // 2023-11-14T22:13:20Z

    static func series(_ labels: KeyValuePairs<String, String>, _ values: [Double?], step: Int64 = 60_000) -> RangeSeries {
        RangeSeries(
            labels: Labels(labels),
            points: values.enumerated().compactMap { index, value in value.map { Sample(timestamp: start + Int64(index) * step, value: $0) } })
    }

    @Test func oneLinePerSeriesWithItsNumbers() {
        let series = [
            Self.series(["__name__": "node_load1", "instance": "db1"], (0..<40).map { Double($0 % 8) }),
            Self.series(["__name__": "node_load1", "instance": "app1"], (0..<40).map { $0 >= 10 && $0 < 20 ? nil : 1234.5 }),
        ]
        let lines = TerminalChart.render(series, start: Self.start, end: Self.start + 39 * 60_000, step: 60_000, width: 100)
        // 40 points on 34 columns: a column holding two points shows the higher.
        #expect(lines == [
            "                                          min       max      last  series",
            "▁▂▃▅▆▇█▁▃▄▅▆▇█▂▃▄▅▆█▁▂▃▄▅▇█▁▂▃▅▆▇█          0         7         7  {__name__=\"node_load1\", instance…",
            "▄▄▄▄▄▄▄▄▄        ▄▄▄▄▄▄▄▄▄▄▄▄▄▄▄▄▄     1.234k    1.234k    1.234k  {__name__=\"node_load1\", instance…",
            "└───────┴───────┴────────────────┘",
            "22:13   22:22   22:32        22:52  UTC",
        ])
        #expect(lines.allSatisfy { $0.count <= 100 })
    }

    @Test func manyPointsKeepTheirSpikes() {
        var values = [Double?](repeating: 1, count: 400)
        values[201] = 50
        let series = [Self.series(["job": "a"], values, step: 15_000)]
        let lines = TerminalChart.render(series, start: Self.start, end: Self.start + 399 * 15_000, step: 15_000, width: 80)
        #expect(lines[1].hasPrefix("▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁█▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁  "))
        #expect(lines[1].hasSuffix("          1        50         1  {job=\"a\"}"))
        #expect(lines[3] == "22:13  22:32  22:51   23:12      23:53  UTC")
    }

    @Test func nothingFiniteAndShortRanges() {
        let series = [Self.series(["job": "a"], [.nan, .nan, .nan], step: 1_000)]
        let lines = TerminalChart.render(series, start: Self.start, end: Self.start + 2_000, step: 1_000, width: 80)
        #expect(lines[1] == "     " + "        -         -       NaN  {job=\"a\"}")
        #expect(lines[3] == "22:13:22  UTC")
        #expect(TerminalChart.render([], start: 0, end: 1, step: 1, width: 80) == ["(no series)"])
    }

    @Test(arguments: [
        (80, 24, 20, true),
        (80, 24, 22, false),  // with the header and the axis, 22 series do not fit 24 rows
        (50, 24, 1, false),  // too narrow for a chart beside the numbers
    ])
    func fits(_ columns: Int, _ rows: Int, _ count: Int, _ expected: Bool) {
        let series = (0..<count).map { Self.series(["job": "\($0)"], [1, 2]) }
        #expect(TerminalChart.fits(series, columns: columns, rows: rows) == expected)
    }

    @Test(arguments: [(0.0123, "0.0123"), (12.345, "12.35"), (1234.5, "1.234k"), (-3.2e9, "-3.2G"), (Double.infinity, "+Inf")])
    func numbers(_ value: Double, _ expected: String) {
        #expect(TerminalChart.number(value) == expected)
    }
}
