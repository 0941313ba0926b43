import Testing

@testable import MetricStore

@Suite struct SeriesSelectorParserTests {
    @Test func parsesNamesAndMatchers() throws {
        #expect(try SeriesSelectorParser.parse("up") == [.equal("__name__", "up")])
        #expect(
            try SeriesSelectorParser.parse(#"node_cpu_seconds_total{mode!="idle", cpu=~"0|1"}"#)
                == [.equal("__name__", "node_cpu_seconds_total"), try LabelMatcher("mode", .notEqual, "idle"), try LabelMatcher("cpu", .regex, "0|1")])
        #expect(try SeriesSelectorParser.parse(#"{__name__=~"pg_.*"}"#) == [try LabelMatcher("__name__", .regex, "pg_.*")])
        #expect(try SeriesSelectorParser.parse(#"{a!~'x',b="q\"uote"}"#).map(\.value) == ["x", "q\"uote"])
    }

    @Test(arguments: [
        ("{", "invalid selector { at character 2: expected a label name or '}'"),
        (#"{a~"x"}"#, #"invalid selector {a~"x"} at character 3: expected =, !=, =~ or !~"#),
        ("{a=x}", "invalid selector {a=x} at character 4: expected a quoted value"),
        (#"{a="x}"#, #"invalid selector {a="x} at character 7: expected a closing quote"#),
        (#"up{} x"#, "invalid selector up{} x at character 6: expected the end of the selector"),
        (#"{a=""}"#, #"invalid selector {a=""} at character 1: expected at least one matcher that does not match the empty string, as in Prometheus"#),
        (#"{a=~"(?=x)"}"#, #"invalid selector {a=~"(?=x)"} at character 12: expected a valid regular expression (error parsing regexp: invalid or unsupported Perl syntax: `(?=`)"#),
    ])
    func errors(_ text: String, _ message: String) {
        #expect { _ = try SeriesSelectorParser.parse(text) } throws: { String(describing: $0) == message }
    }
}
