import MetricStore
import Testing
@testable import ScaleAgent

@Suite struct TextFormatParserTests {
    @Test func parsesFamiliesWithHelpTypeAndLabels() throws {
        let text = """
            # A comment.
            # HELP backup_last_success_timestamp_seconds When the \\\\ backup\\nlast succeeded.
            # TYPE backup_last_success_timestamp_seconds gauge
            backup_last_success_timestamp_seconds{db="main",note="a \\"b\\"\\n"} 1.7e+09
            backup_runs_total{result="ok",} 12
            job_duration_seconds NaN
            job_up -Inf

            """
        let families = try TextFormatParser.parse(text, file: "backup.prom")
        #expect(families.map(\.name) == ["backup_last_success_timestamp_seconds", "backup_runs_total", "job_duration_seconds", "job_up"])
        #expect(families[0].help == "When the \\ backup\nlast succeeded.")
        #expect(families[0].type == .gauge)
        #expect(families[0].samples == [
            .init(name: "backup_last_success_timestamp_seconds", labels: [Label("db", "main"), Label("note", "a \"b\"\n")], value: 1.7e9)
        ])
        #expect(families[1].type == .untyped)
        #expect(families[1].samples.first?.labels == [Label("result", "ok")])
        #expect(families[2].samples.first?.value.isNaN == true)
        #expect(families[3].samples.first?.value == -.infinity)
    }

    @Test func histogramSamplesBelongToTheirFamily() throws {
        let text = """
            # TYPE job_seconds histogram
            job_seconds_bucket{le="1"} 2
            job_seconds_bucket{le="+Inf"} 3
            job_seconds_sum 4.5
            job_seconds_count 3
            other_count 1

            """
        let families = try TextFormatParser.parse(text, file: "h.prom")
        #expect(families.map(\.name) == ["job_seconds", "other_count"])
        #expect(families[0].samples.map(\.name) == ["job_seconds_bucket", "job_seconds_bucket", "job_seconds_sum", "job_seconds_count"])
    }

    @Test(arguments: [
        ("# TYPE x flavour\n", 1, "unknown type 'flavour'"),
        ("# TYPE 1x gauge\n", 1, "invalid metric name"),
        ("# HELP x a\n# HELP x b\n", 2, "second HELP"),
        ("x 1\n# TYPE x gauge\n", 2, "after its samples"),
        ("{a=\"b\"} 1\n", 1, "expected a metric name"),
        ("x\n", 1, "expected a value"),
        ("x one\n", 1, "expected a value"),
        ("x inf\n", 1, "expected a value"),
        ("x 1 1700000000000\n", 1, "timestamp is not supported"),
        ("x 1 extra\n", 1, "unexpected text"),
        ("x{a=\"b\" 1\n", 1, "expected ',' or '}'"),
        ("x{a=b} 1\n", 1, "expected '\"'"),
        ("x{a} 1\n", 1, "expected '='"),
        ("x{a=\"b\",a=\"c\"} 1\n", 1, "label a repeated"),
        ("x{a=\"b} 1\n", 1, "unterminated value"),
        ("x{a=\"\\t\"} 1\n", 1, "unknown escape"),
        ("x{1a=\"b\"} 1\n", 1, "expected a label name"),
        ("x 1\nx 2\n", 2, "second sample for the series"),
        ("ok 1\nbad{ 2\n", 2, "expected a label name"),
    ])
    func rejectsMalformed(text: String, line: Int, expected: String) {
        let error = #expect(throws: ParseError.self) { try TextFormatParser.parse(text, file: "bad.prom") }
        #expect(error?.file == "bad.prom")
        #expect(error?.line == line)
        #expect(error?.message.contains(expected) == true, "\(String(describing: error))")
    }
}
