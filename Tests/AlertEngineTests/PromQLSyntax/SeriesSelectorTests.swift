@testable import AlertEngine
import MetricStore
import Testing

/// One selector grammar for PromQL and for `--match` (before, the CLI had a parser of its
/// own that differed in its quoting and its errors).
@Suite struct SeriesSelectorTests {
    @Test func namesAndMatchersAsPromQLReadsThem() throws {
        #expect(try PromQLParser.parseSeriesSelector("up") == [.equal("__name__", "up")])
        #expect(
            try PromQLParser.parseSeriesSelector(#"node_cpu_seconds_total{mode!="idle", cpu=~"0|1"}"#)
                == [.equal("__name__", "node_cpu_seconds_total"), try LabelMatcher("mode", .notEqual, "idle"),
                    try LabelMatcher("cpu", .regex, "0|1")])
        #expect(try PromQLParser.parseSeriesSelector(#"{__name__=~"pg_.*"}"#) == [try LabelMatcher("__name__", .regex, "pg_.*")])
        #expect(try PromQLParser.parseSeriesSelector(#"{a!~'x',b="q\"uote"}"#).map(\.value) == ["x", "q\"uote"])
    }

    @Test(arguments: [
        ("{", "unclosed left brace"),
        (#"{a=""}"#, "vector selector must contain at least one non-empty matcher"),
        (#"{a=~"(?=x)"}"#, "invalid regular expression"),
        ("up[5m]", "expected a series selector such as up or {job=\"node\"}, got range vector expression"),
        ("rate(up[5m])", "expected a series selector such as up or {job=\"node\"}, got instant vector expression"),
        ("up offset 5m", "expected a series selector"),
        ("1", "expected a series selector such as up or {job=\"node\"}, got scalar expression"),
    ])
    func whatIsNotASelectorIsRefused(_ text: String, _ message: String) {
        #expect(throws: PromQLParseError.self, "\(text)") { try PromQLParser.parseSeriesSelector(text) }
        do {
            _ = try PromQLParser.parseSeriesSelector(text)
        } catch {
            #expect(error.message.contains(message), "\(text): \(error.message)")
        }
    }
}
