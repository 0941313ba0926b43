import MetricStore
import Testing

/// `=~` and `!~` as Prometheus 3 matches them: `^(?s:pattern)$` on the UTF-8 bytes.
@Suite struct LabelRegexTests {
    @Test(arguments: [
        ("a", "a", true), ("a", "ba", false), ("a", "ab", false), ("a|b", "ab", false), ("a|b", "b", true),
        ("a.b", "a\nb", true), (".*", "x\ny", true), ("(?-s:a.b)", "a\nb", false), (".+", "\n", true),
        ("\\pL+", "Grüße", true), ("\\d+", "١٢", false), ("é", "e\u{301}", false), ("e\u{301}", "é", false),
        ("web-.*", "web-1", true), (".*-1", "web-1", true), (".*b-.*", "web-1", true), ("(?i)WEB.*", "web-1", true),
        ("", "", true), ("", "a", false), ("a||b", "", true),
    ] as [(String, String, Bool)])
    func regexMatches(pattern: String, value: String, matches: Bool) throws {
        #expect(try LabelMatcher("l", .regex, pattern).matches(value) == matches)
        #expect(try LabelMatcher("l", .notRegex, pattern).matches(value) == !matches)
    }

    static let fastPathPatterns = [
        "web", "a|b|c", "a||b", "", "|", "é|e\u{301}", ".*", ".+", "web.*", ".*web", ".*web.*", ".*.*", "é.*", ".*e",
        // More than 16 literals take the hashed set.
        (["web", "é", "", "a|b"] + (0..<20).map { "x\($0)" }).joined(separator: "|"),
    ]
    static let inputs = [
        "", "web", "web-1", "1-web", "x-web-y", "we", "a", "b", "c", "ab", "a|b", "\n", "web\nx", "x\nweb", "é", "e\u{301}",
        "éx", "xe", ".*", "web.*",
    ]

    /// Literals, literal alternations and the `.*` shapes skip RE2; they must answer as RE2 does.
    @Test(arguments: fastPathPatterns)
    func fastPathsAgreeWithRE2(pattern: String) throws {
        let matcher = try LabelMatcher("l", .regex, pattern)
        let regex = try RE2Regex(pattern, options: .dotMatchesNewline)
        for input in Self.inputs {
            #expect(matcher.matches(input) == regex.wholeMatch(input), "\(pattern) on \(input.debugDescription)")
        }
    }

    @Test(arguments: [
        ("(a)\\1", "invalid escape sequence: `\\1`"),
        ("(?=a)", "invalid or unsupported Perl syntax: `(?=`"),
        ("a*+", "invalid nested repetition operator: `*+`"),
    ] as [(String, String)])
    func refusedPatternsAreClearErrors(pattern: String, message: String) {
        #expect {
            try LabelMatcher("l", .regex, pattern)
        } throws: { error in
            String(describing: error) == "invalid regular expression in l=~\"\(pattern)\": error parsing regexp: " + message
        }
    }

    @Test func nestedRepetitionDoesNotHang() throws {
        let value = String(repeating: "a", count: 3000)
        let clock = ContinuousClock()
        var results: [Bool] = []
        let elapsed = try clock.measure {
            results = [
                try LabelMatcher("l", .regex, "(a*)*b").matches(value), try LabelMatcher("l", .notRegex, "(a*)*b").matches(value),
            ]
        }
        #expect(results == [false, true])
        #expect(elapsed < .seconds(1))
    }
}
