import MetricStore
import Testing

@Suite struct RE2RegexTests {
    /// Go's messages for what Go's `regexp/syntax` refuses, RE2's extensions included.
    @Test(arguments: [
        ("(a)\\1", "invalid escape sequence: `\\1`"),
        ("(?=a)", "invalid or unsupported Perl syntax: `(?=`"),
        ("(?!a)", "invalid or unsupported Perl syntax: `(?!`"),
        ("(?<=a)b", "invalid or unsupported Perl syntax: `(?<`"),
        ("(?<!a)b", "invalid or unsupported Perl syntax: `(?<`"),
        ("a*+", "invalid nested repetition operator: `*+`"),
        ("a++", "invalid nested repetition operator: `++`"),
        ("a{2}+", "invalid nested repetition operator: `{2}+`"),
        ("\\C", "invalid escape sequence: `\\C`"),
        ("(", "missing closing ): `(`"),
        ("a)", "unexpected ): `a)`"),
        ("[a", "missing closing ]: `[a`"),
        ("a{1001}", "invalid repeat count: `{1001}`"),
        ("*", "missing argument to repetition operator: `*`"),
        ("\\Z", "invalid escape sequence: `\\Z`"),
        ("[z-a]", "invalid character class range: `z-a`"),
        ("\\p{Foo}", "invalid character class range: `\\p{Foo}`"),
        ("a\\", "trailing backslash at end of expression: ``"),
        ("(?P<a-b>x)", "invalid named capture: `(?P<a-b>`"),
    ] as [(String, String)])
    func refusesWhatGoRefuses(pattern: String, message: String) {
        #expect(throws: RegexSyntaxError.self) { try RE2Regex(pattern) }
        do {
            _ = try RE2Regex(pattern)
        } catch {
            #expect(error.description == "error parsing regexp: " + message)
        }
    }

    @Test(arguments: [
        // Unicode classes and ASCII-only Perl classes, per code point.
        ("\\pL+", "Grüße", true), ("\\p{L}+", "ab1", false), ("\\PN", "x", true), ("\\p{Greek}+", "αβγ", true),
        ("\\d", "\u{663}", false), ("\\w", "é", false), ("[[:alpha:]]+", "abc", true), ("..", "e\u{301}", true),
        (".", "é", true), ("(?i)STRASSE", "strasse", true), ("(?i)é", "É", true),
        // Quoted literals and Go 1.22's group syntax.
        ("\\Qa.b\\E", "a.b", true), ("\\Qa.b\\E", "axb", false), ("(?<year>\\d+)", "2026", true),
        ("[(?<x>)]+", "(?<x>)", true), ("[(?<x>)]+", "P", false),
        // `.` and newlines: off by default, on with (?s).
        ("a.b", "a\nb", false), ("(?s)a.b", "a\nb", true),
    ] as [(String, String, Bool)])
    func wholeMatchFollowsGo(pattern: String, text: String, matches: Bool) throws {
        #expect(try RE2Regex(pattern).wholeMatch(text) == matches)
    }

    @Test func dotMatchesNewlineOption() throws {
        #expect(try RE2Regex("a.b", options: .dotMatchesNewline).wholeMatch("a\nb"))
        #expect(try !RE2Regex("(?-s:a.b)", options: .dotMatchesNewline).wholeMatch("a\nb"))
    }

    @Test func containsMatchIsUnanchored() throws {
        let regex = try RE2Regex("o+")
        #expect(regex.containsMatch("foo"))
        #expect(!regex.wholeMatch("foo"))
        #expect(try !RE2Regex("^o").containsMatch("foo"))
    }

    /// A backtracking engine needs exponential time here; RE2 is linear in the input.
    @Test func nestedRepetitionDoesNotHang() throws {
        let text = String(repeating: "a", count: 3000)
        let clock = ContinuousClock()
        let elapsed = try clock.measure {
            let regex = try RE2Regex("(a*)*b", options: .dotMatchesNewline)
            #expect(!regex.wholeMatch(text))
            #expect(!regex.containsMatch(text))
            #expect(regex.wholeMatchGroups(text) == nil)
        }
        #expect(elapsed < .seconds(1))
    }

    @Test func groupsAndNames() throws {
        let regex = try RE2Regex("(?P<host>[^:]+):(?<port>\\d+)?(x)?(?P<host>y)?")
        #expect(regex.groupCount == 4)
        #expect(regex.groupNames == [nil, "host", "port", nil, "host"])
        let groups = try #require(regex.wholeMatchGroups("web-1:"))
        #expect(groups == ["web-1:", "web-1", nil, nil, nil])
        #expect(try RE2Regex("()").wholeMatchGroups("") == ["", ""])
    }

    @Test func matchFromAnOffsetSeesTheTextBefore() throws {
        let regex = try RE2Regex("^a|\\bb")
        RE2Regex.withBytes("aab") { bytes in
            #expect(regex.firstMatch(in: bytes, from: 0)?.first == 0..<1)
            #expect(regex.firstMatch(in: bytes, from: 1) == nil)
        }
        let word = try RE2Regex("é+")
        RE2Regex.withBytes("xéé") { bytes in
            #expect(word.firstMatch(in: bytes, from: 0)?.first == 1..<5)
            #expect(word.firstMatch(in: bytes, from: 1, anchor: .both)?.first == 1..<5)
            #expect(word.firstMatch(in: bytes, from: 9) == nil)
        }
    }
}
