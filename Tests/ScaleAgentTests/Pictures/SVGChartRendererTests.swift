import MetricStore
import Testing

#if canImport(Glibc)
import Glibc
#endif

@testable import ScaleAgent

/// The chart renderer against committed golden SVGs (re-record on purpose only:
/// SCALEWATCH_RECORD_GOLDEN=1 swift test --filter SVGChartRendererTests), and the escaping of
/// everything that came from data.
@Suite struct SVGChartRendererTests {
    static let directory = Fixtures.directory + "/pictures"
    /// 2023-11-14T22:13:20Z.
    static let start: Int64 = 1_700_000_000_000

    /// Two memory series over an hour, the second absent for ten minutes in the middle, and
    /// a third never drawn (the cap is two).
    static let memory = Chart(
        title: "node_memory_MemAvailable_bytes",
        series: [
            Chart.Series(
                label: #"node_memory_MemAvailable_bytes{instance="a"}"#,
                points: (0...240).map { Sample(timestamp: start + Int64($0) * 15_000, value: 3e9 + Double($0 % 40) * 2.5e7) }),
            Chart.Series(
                label: #"node_memory_MemAvailable_bytes{instance="b"}"#,
                points: (0...240).filter { !(100..<140).contains($0) }.map {
                    Sample(timestamp: start + Int64($0) * 15_000, value: 1.2e9 + Double($0) * 1e6)
                }),
            Chart.Series(label: #"node_memory_MemAvailable_bytes{instance="c"}"#, points: [Sample(timestamp: start, value: 1)]),
        ],
        start: start, end: start + 3_600_000, step: 15_000, unit: .bytes, maxSeries: 2)

    static let cpu = Chart(
        title: #"rate(node_cpu_seconds_total{mode!="idle"}[5m])"#,
        series: [
            Chart.Series(
                label: #"{cpu="0", mode="user"}"#,
                points: (0...60).map { Sample(timestamp: start + Int64($0) * 60_000, value: Double($0 % 7) / 10) }),
            // A lone point between gaps is drawn as a dot.
            Chart.Series(label: #"{cpu="0", mode="system"}"#, points: [Sample(timestamp: start + 1_800_000, value: 0.05)]),
        ],
        start: start, end: start + 3_600_000, step: 60_000, unit: .ratio, width: 360, height: 140)

    static let empty = Chart(
        title: "nothing_here", series: [], start: start, end: start + 86_400_000 * 2, step: 600_000, unit: .plain)

    @Test(arguments: [("memory.svg", memory), ("cpu-small.svg", cpu), ("empty.svg", empty)])
    func chartsMatchTheirGoldenFiles(_ file: String, _ chart: Chart) throws {
        try compare(SVGChartRenderer.svg(chart), with: file)
    }

    @Test func errorMessageMatchesItsGoldenFile() throws {
        let text = #"invalid parameter "query": 1:5: parse error: unexpected end of input"#
        try compare(SVGChartRenderer.message(title: "Cannot draw this graph", text: text), with: "error.svg")
    }

    @Test func theCapIsNamedInTheLegend() {
        let svg = SVGChartRenderer.svg(Self.memory)
        #expect(svg.contains("1 more series not shown"))
        #expect(!svg.contains(#"instance="c""#) && !svg.contains("instance=&quot;c&quot;"))
        #expect(svg.components(separatedBy: "<path ").count == 3)
    }

    @Test(arguments: [
        "<script>alert(1)</script>",
        "\"><script>alert(1)</script>",
        "'/><img src=x onerror=alert(1)>",
        "]]><script>x</script>",
    ])
    func labelValuesAndTitlesComeOutInert(_ hostile: String) {
        func pictures(_ text: String) -> [String] {
            let chart = Chart(
                title: text, series: [Chart.Series(label: "x{v=\"\(text)\"}", points: [Sample(timestamp: Self.start, value: 1)])],
                start: Self.start, end: Self.start + 60_000, step: 15_000, unit: .plain)
            return [SVGChartRenderer.svg(chart), SVGChartRenderer.message(title: text, text: text)]
        }
        for (svg, benign) in zip(pictures(hostile), pictures("benign")) {
            #expect(!svg.contains("<script"))
            #expect(!svg.contains("<img"))
            #expect(svg.contains("&lt;script&gt;") || svg.contains("&lt;img"))
            // The same markup as for a harmless value: not one tag or attribute more.
            #expect(svg.filter { $0 == "<" }.count == benign.filter { $0 == "<" }.count)
            #expect(svg.filter { $0 == "\"" }.count == benign.filter { $0 == "\"" }.count)
        }
    }

    @Test func controlCharactersCannotBreakTheXML() {
        #expect(HTMLText.escape("a\u{0}b\u{1B}c&d") == "a\u{FFFD}b\u{FFFD}c&amp;d")
    }

    @Test func extremeValuesAndTimesDrawWithoutTrapping() {
        let chart = Chart(
            title: "extreme",
            series: [
                Chart.Series(
                    label: "x",
                    points: [
                        Sample(timestamp: Int64.min, value: -Double.greatestFiniteMagnitude),
                        Sample(timestamp: 0, value: .nan), Sample(timestamp: 1, value: .infinity),
                        Sample(timestamp: Int64.max, value: Double.greatestFiniteMagnitude),
                    ])
            ],
            start: Int64.min, end: Int64.max, step: Int64.max, unit: .bytes)
        #expect(SVGChartRenderer.svg(chart).hasSuffix("</svg>\n"))
    }

    private func compare(_ rendered: String, with file: String) throws {
        let path = Self.directory + "/" + file
        if let record = getenv("SCALEWATCH_RECORD_GOLDEN"), String(cString: record) == "1" {
            guard let handle = fopen(path, "w") else { throw FileReadError(path: path, errno: errno) }
            fputs(rendered, handle)
            fclose(handle)
        }
        let golden = try FileReading.string(atPath: path)
        let renderedLines = rendered.split(separator: "\n", omittingEmptySubsequences: false)
        let goldenLines = golden.split(separator: "\n", omittingEmptySubsequences: false)
        for (index, (got, want)) in zip(renderedLines, goldenLines).enumerated() where got != want {
            Issue.record("\(file):\(index + 1): expected \(want)\n got \(got)")
            return
        }
        #expect(renderedLines.count == goldenLines.count, "\(file): line count differs")
    }
}
