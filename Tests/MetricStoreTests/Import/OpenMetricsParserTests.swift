import Testing

@testable import MetricStore

@Suite struct OpenMetricsParserTests {
    private func parseAll(_ text: String) throws -> (series: [Labels], samples: [OpenMetricsParser.Sample]) {
        var parser = OpenMetricsParser(bytes: Array(text.utf8), file: "in.om")
        var samples: [OpenMetricsParser.Sample] = []
        while let sample = try parser.next() { samples.append(sample) }
        return (parser.series, samples)
    }

    @Test func parsesSamplesWithTimestampsAndInternsSeries() throws {
        let (series, samples) = try parseAll(
            """
            # HELP node_load1 1m load average.
            # TYPE node_load1 gauge
            node_load1{instance="h:9100",job="node"} 1.5 1764380033.123
            node_load1{instance="h:9100",job="node"} 2 1764380034
            # TYPE http_requests counter
            http_requests_total{code="200",path="/a \\"b\\" \\\\ \\n"} 7 1764380033.1 # {trace_id="x"} 1 1764380033
            up NaN 1764380033.000
            up +Inf 1764380034.5
            up -Inf -1.25
            # EOF

            """.dropLast().description)
        #expect(series.count == 3)
        #expect(series[0] == Labels(["__name__": "node_load1", "instance": "h:9100", "job": "node"]))
        #expect(series[1]["path"] == "/a \"b\" \\ \n")
        #expect(samples.map(\.series) == [0, 0, 1, 2, 2, 2])
        #expect(samples.map(\.timestamp) == [1_764_380_033_123, 1_764_380_034_000, 1_764_380_033_100, 1_764_380_033_000, 1_764_380_034_500, -1250])
        #expect(samples[0].value == 1.5)
        #expect(samples[3].value.isNaN)
        #expect(samples[4].value == .infinity && samples[5].value == -.infinity)
    }

    @Test func interleavedSeriesAreRecognisedWhenTheCycleChanges() throws {
        // Hosts in turn at each timestamp (the next line is predicted from the last cycle),
        // then a host drops out, a name that extends another, and one series alone.
        let (series, samples) = try parseAll(
            """
            a{h="0"} 1 1
            a{h="1"} 2 1
            a{h="2"} 3 1
            a{h="0"} 4 2
            a{h="1"} 5 2
            a{h="2"} 6 2
            a{h="0"} 7 3
            a{h="2"} 8 3
            a{h="0"} 9 4
            a{h="1"} 10 4
            a 11 5
            a_b 12 5
            a 13 6
            a 14 7
            a{h="1"} 15 5
            # EOF

            """)
        #expect(series.map { $0["h"] ?? $0.metricName! } == ["0", "1", "2", "a", "a_b"])
        #expect(samples.map(\.series) == [0, 1, 2, 0, 1, 2, 0, 2, 0, 1, 3, 4, 3, 3, 1])
        #expect(samples.map(\.value) == (1...15).map(Double.init))
    }

    @Test func finalEOFMayLackANewline() throws {
        #expect(try parseAll("a 1 1\n# EOF").samples.count == 1)
    }

    @Test func sampleWithoutTimestamp() throws {
        #expect(try parseAll("a 1\n# EOF\n").samples == [.init(series: 0, timestamp: nil, value: 1)])
    }

    @Test(arguments: [
        ("a 1 1\n", "in.om:2:1: expected '# EOF' as the last line"),
        ("a 1 1\n# EOF\nb 2 2\n", "in.om:3:1: expected nothing after '# EOF'"),
        ("a 1 1\n\n# EOF\n", "in.om:2:1: expected a sample or a '#' line, found an empty line"),
        ("# HELLO a\n# EOF\n", "in.om:1:1: expected '# HELP', '# TYPE', '# UNIT' or '# EOF'"),
        ("# TYPE a gauges\n# EOF\n", "in.om:1:9: expected one of the OpenMetrics types (counter, gauge, histogram, gaugehistogram, stateset, info, summary, unknown)"),
        ("1a 1 1\n# EOF\n", "in.om:1:1: expected a metric name"),
        ("a{b=\"1\" 1 1\n# EOF\n", "in.om:1:12: expected '}' to close the label set"),
        ("a{1b=\"1\"} 1 1\n# EOF\n", "in.om:1:3: expected a label name"),
        ("a{b:c=\"1\"} 1 1\n# EOF\n", "in.om:1:4: expected '=\"' after the label name"),
        ("a{b=1} 1 1\n# EOF\n", "in.om:1:4: expected '=\"' after the label name"),
        ("a{b=\"1\",b=\"2\"} 1 1\n# EOF\n", "in.om:1:9: label 'b' appears twice"),
        ("a{b=\"1\";c=\"2\"} 1 1\n# EOF\n", "in.om:1:8: expected ',' or '}' after a label"),
        ("a{b=\"\\t\"} 1 1\n# EOF\n", "in.om:1:6: expected \\\\, \\\" or \\n as an escape"),
        ("a{b=\"1\"}1 1\n# EOF\n", "in.om:1:9: expected a space before the value"),
        ("a one 1\n# EOF\n", "in.om:1:3: expected a number, NaN, +Inf or -Inf as the value"),
        ("a 0x10 1\n# EOF\n", "in.om:1:3: expected a number, NaN, +Inf or -Inf as the value"),
        ("a 1 yesterday\n# EOF\n", "in.om:1:5: expected a timestamp in seconds (up to millisecond precision)"),
        ("a 1 1.0001\n# EOF\n", "in.om:1:5: expected a timestamp in seconds (up to millisecond precision)"),
        ("a 1 1 extra\n# EOF\n", "in.om:1:6: expected the end of the line or an exemplar after the timestamp"),
        ("a 1 1", "in.om:1:6: expected a newline at the end of the line"),
    ])
    func errorsNameLineAndColumn(_ text: String, _ expected: String) {
        #expect {
            _ = try parseAll(text)
        } throws: { error in
            String(describing: error) == expected
        }
    }

    @Test func subMillisecondZerosAreFine() throws {
        #expect(try parseAll("a 1 1.500000\n# EOF\n").samples.first?.timestamp == 1500)
    }
}
