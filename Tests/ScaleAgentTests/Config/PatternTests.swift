import MetricStore
import ScaleAgent
import Testing

/// Config patterns match as node_exporter's `--collector.*.exclude` flags: Go's `regexp`,
/// unanchored.
@Suite struct PatternTests {
    @Test(arguments: [
        ("loop", "loop0", true), ("loop", "myloop", true), ("^loop", "myloop", false), ("^(loop|ram)\\d+$", "ram12", true),
        ("^(loop|ram)\\d+$", "ram12p1", false), ("^/mnt/", "/mnt/data", true), ("a.b", "a\nb", false),
        ("^veth\\pL", "vethé1", true), ("^nvme\\d+n\\d+p\\d+$", "nvme0n1p1", true), ("", "anything", true),
    ] as [(String, String, Bool)])
    func matchesUnanchored(source: String, text: String, matches: Bool) throws {
        let pattern = try Pattern(source)
        #expect(pattern.matches(text) == matches)
        // The second answer comes from the cache.
        #expect(pattern.matches(text) == matches)
    }

    @Test func refusedPatternsSayWhy() {
        #expect(throws: RegexSyntaxError(code: .invalidPerlOp, argument: "(?!")) { try Pattern("^(?!lo)") }
        #expect(throws: RegexSyntaxError(code: .missingParen, argument: "(ram")) { try Pattern("(ram") }
    }

    @Test func nestedRepetitionDoesNotHang() throws {
        let clock = ContinuousClock()
        var matched = true
        let elapsed = try clock.measure {
            matched = try Pattern("(a*)*b").matches(String(repeating: "a", count: 3000))
        }
        #expect(!matched)
        #expect(elapsed < .seconds(1))
    }
}
