@testable import AlertEngine
import MetricStore
import Testing

@Suite struct LabelFunctionsTests {
    static let original = Labels([
        "__name__": "testmetric", "src": "source-value-10", "dst": "original-destination-value",
    ])

    struct ReplaceCase: Sendable, CustomTestStringConvertible {
        let name: String
        let destination: String
        let replacement: String
        let source: String
        let regex: String
        let expectedDestination: String?
        var testDescription: String { name }
    }

    /// functions.test's label_replace cases, then Go template and regex details.
    static let replaceCases: [ReplaceCase] = [
        .init(name: "full-string match and replace", destination: "dst", replacement: "destination-value-$1",
              source: "src", regex: "source-value-(.*)", expectedDestination: "destination-value-10"),
        .init(name: "no sub-string match", destination: "dst", replacement: "destination-value-$1", source: "src",
              regex: "value-(.*)", expectedDestination: "original-destination-value"),
        .init(name: "multiple capture groups", destination: "dst", replacement: "$1-value-$2", source: "src",
              regex: "(.*)-value-(.*)", expectedDestination: "source-value-10"),
        .init(name: "missing source does not match", destination: "dst", replacement: "value-$1",
              source: "nonexistent-src", regex: "source-value-(.*)", expectedDestination: "original-destination-value"),
        .init(name: "missing source is the empty string", destination: "dst", replacement: "value-$1",
              source: "nonexistent-src", regex: "(.*)", expectedDestination: "value-"),
        .init(name: "non-matching regex leaves the labels", destination: "dst", replacement: "value-$1", source: "src",
              regex: "non-matching-regex", expectedDestination: "original-destination-value"),
        .init(name: "empty replacement removes the label", destination: "dst", replacement: "", source: "dst",
              regex: ".*", expectedDestination: nil),
        .init(name: "new destination", destination: "new", replacement: "x$1", source: "src", regex: "source-(.*)",
              expectedDestination: nil),
        .init(name: "${1} braces", destination: "dst", replacement: "${1}0", source: "src", regex: "source-value-(.*)",
              expectedDestination: "100"),
        .init(name: "$10 is group 10, which does not exist", destination: "dst", replacement: "a$10-b", source: "src",
              regex: "source-value-(.*)", expectedDestination: "a-b"),
        .init(name: "$1x is the group named 1x", destination: "dst", replacement: "<$1x>", source: "src",
              regex: "source-value-(.*)", expectedDestination: "<>"),
        .init(name: "named group", destination: "dst", replacement: "n=$number", source: "src",
              regex: "source-value-(?P<number>[0-9]+)", expectedDestination: "n=10"),
        .init(name: "named group in braces", destination: "dst", replacement: "${kind}_$number", source: "src",
              regex: "(?<kind>[a-z]+)-value-(?<number>.*)", expectedDestination: "source_10"),
        .init(name: "$0 is the whole match", destination: "dst", replacement: "[$0]", source: "src",
              regex: "source-(value)-10", expectedDestination: "[source-value-10]"),
        .init(name: "$$ is a dollar", destination: "dst", replacement: "$$1", source: "src", regex: "source-value-(.*)",
              expectedDestination: "$1"),
        .init(name: "a lone $ stays", destination: "dst", replacement: "a$-b$", source: "src", regex: ".*",
              expectedDestination: "a$-b$"),
        .init(name: "unclosed brace stays", destination: "dst", replacement: "${1", source: "src", regex: "(.*)",
              expectedDestination: "${1"),
        .init(name: "leading zero is a name, not a number", destination: "dst", replacement: "x$01", source: "src",
              regex: "(.*)", expectedDestination: "x"),
        .init(name: "a group that did not take part is empty", destination: "dst", replacement: "[$1|$2]", source: "src",
              regex: "(nothing)?source-value-(.*)", expectedDestination: "[|10]"),
        .init(name: "alternation prefers the left branch like RE2", destination: "dst", replacement: "$1", source: "src",
              regex: "(source|source-value)-.*", expectedDestination: "source"),
        .init(name: "empty regex matches only the empty value", destination: "dst", replacement: "matched",
              source: "nonexistent-src", regex: "", expectedDestination: "matched"),
        .init(name: "anchored at both ends", destination: "dst", replacement: "matched", source: "src", regex: "source",
              expectedDestination: "original-destination-value"),
    ]

    @Test(arguments: replaceCases)
    func labelReplace(_ testCase: ReplaceCase) throws {
        let result = try LabelFunctions.labelReplace(
            Self.original, destination: testCase.destination, replacement: testCase.replacement,
            source: testCase.source, regex: testCase.regex)
        if testCase.destination == "new" {
            #expect(result["new"] == "x" + "value-10")
        } else {
            #expect(result[testCase.destination] == testCase.expectedDestination)
        }
        #expect(result["src"] == "source-value-10")
        #expect(result.metricName == "testmetric")
    }

    @Test func replaceCanRenameTheMetric() throws {
        let result = try LabelFunctions.labelReplace(
            Self.original, destination: "__name__", replacement: "renamed_$1", source: "__name__", regex: "test(.*)")
        #expect(result.metricName == "renamed_metric")
    }

    @Test func dotMatchesNewlines() throws {
        let labels = Labels(["text": "line one\nline two"])
        let result = try LabelFunctions.labelReplace(
            labels, destination: "last", replacement: "$1", source: "text", regex: ".*\n(.*)")
        #expect(result["last"] == "line two")
    }

    @Test func matchingIsPerUnicodeScalarAndClassesAreASCII() throws {
        // "é" as e + combining accent is two runes for Go's regexp, and Arabic-Indic digits
        // are not \d there.
        let labels = Labels(["a": "e\u{301}", "b": "\u{663}"])
        let twoRunes = try LabelFunctions.labelReplace(labels, destination: "c", replacement: "yes", source: "a", regex: "..")
        #expect(twoRunes["c"] == "yes")
        let notADigit = try LabelFunctions.labelReplace(labels, destination: "c", replacement: "yes", source: "b", regex: "\\d")
        #expect(notADigit["c"] == nil)
    }

    @Test func nestedRepetitionDoesNotHang() throws {
        let labels = Labels(["a": String(repeating: "a", count: 3000)])
        let clock = ContinuousClock()
        let elapsed = try clock.measure {
            let result = try LabelFunctions.labelReplace(labels, destination: "b", replacement: "x", source: "a", regex: "(a*)*b")
            #expect(result["b"] == nil)
        }
        #expect(elapsed < .seconds(1))
    }

    @Test(arguments: ["(a)\\1", "(?=a)", "(?<!a)b", "a*+", "\\C"])
    func refusesWhatGoRefuses(pattern: String) {
        #expect(throws: LabelFunctionError.invalidRegex(function: "label_replace", pattern: pattern)) {
            try LabelReplaceRegex(pattern)
        }
    }

    /// Go's `Expand` takes the first group of a name that took part in the match.
    @Test func repeatedGroupNames() throws {
        let labels = Labels(["a": "y"])
        let result = try LabelFunctions.labelReplace(
            labels, destination: "b", replacement: "[$n]", source: "a", regex: "(?P<n>x)|(?<n>y)")
        #expect(result["b"] == "[y]")
    }

    @Test func oneLetterUnicodeClassesMatch() throws {
        let labels = Labels(["word": "Grüße", "mixed": "ab1"])
        let letters = try LabelFunctions.labelReplace(labels, destination: "r", replacement: "letters", source: "word", regex: "\\pL+")
        #expect(letters["r"] == "letters")
        let notOnlyLetters = try LabelFunctions.labelReplace(labels, destination: "r", replacement: "x", source: "mixed", regex: "\\pL+")
        #expect(notOnlyLetters["r"] == nil)
    }

    @Test func compiledRegexIsReusable() throws {
        let regex = try LabelReplaceRegex("(\\w+)-(\\d+)")
        let first = try LabelFunctions.labelReplace(
            Labels(["x": "abc-1"]), destination: "y", replacement: "$2$1", source: "x", regex: regex)
        let second = try LabelFunctions.labelReplace(
            Labels(["x": "def-22"]), destination: "y", replacement: "$2$1", source: "x", regex: regex)
        #expect(first["y"] == "1abc")
        #expect(second["y"] == "22def")
        #expect(regex.pattern == "(\\w+)-(\\d+)")
    }

    @Test func invalidRegexIsAnError() {
        #expect(throws: LabelFunctionError.invalidRegex(function: "label_replace", pattern: "(.*")) {
            try LabelFunctions.labelReplace(
                Self.original, destination: "dst", replacement: "value-$1", source: "src", regex: "(.*")
        }
        #expect(
            LabelFunctionError.invalidRegex(function: "label_replace", pattern: "(.*").description
                == "invalid regular expression in label_replace(): (.*")
    }

    @Test func invalidDestinationIsAnError() {
        #expect(throws: LabelFunctionError.invalidDestinationLabel(function: "label_replace", name: "")) {
            try LabelFunctions.labelReplace(Self.original, destination: "", replacement: "", source: "src", regex: "(.*)")
        }
        #expect(
            LabelFunctionError.invalidDestinationLabel(function: "label_replace", name: "").description
                == "invalid destination label name in label_replace(): ")
    }

    @Test func theRegexIsCheckedBeforeTheDestination() {
        #expect(throws: LabelFunctionError.invalidRegex(function: "label_replace", pattern: "[")) {
            try LabelFunctions.labelReplace(Self.original, destination: "", replacement: "", source: "src", regex: "[")
        }
    }

    // MARK: label_join (functions.test)

    static let joinOriginal = Labels([
        "__name__": "testmetric", "src": "a", "src1": "b", "src2": "c", "dst": "original-destination-value",
    ])

    struct JoinCase: Sendable, CustomTestStringConvertible {
        let name: String
        let separator: String
        let sources: [String]
        let expected: String?
        var testDescription: String { name }
    }

    static let joinCases: [JoinCase] = [
        .init(name: "joins in order", separator: "-", sources: ["src", "src1", "src2"], expected: "a-b-c"),
        .init(name: "missing sources are empty", separator: "-", sources: ["src", "src3", "src1"], expected: "a--b"),
        .init(name: "an empty result removes the label", separator: "", sources: ["emptysrc", "emptysrc1"], expected: nil),
        .init(name: "no sources removes the label", separator: ", ", sources: [], expected: nil),
        .init(name: "a source twice", separator: ",", sources: ["src", "src"], expected: "a,a"),
        .init(name: "multi-character separator", separator: ", ", sources: ["src", "src1", "src2"], expected: "a, b, c"),
    ]

    @Test(arguments: joinCases)
    func labelJoin(_ testCase: JoinCase) throws {
        let result = try LabelFunctions.labelJoin(
            Self.joinOriginal, destination: "dst", separator: testCase.separator, sources: testCase.sources)
        #expect(result["dst"] == testCase.expected)
        #expect(result["src"] == "a")
        #expect(result.metricName == "testmetric")
    }

    @Test func joinCreatesTheDestination() throws {
        let labels = Labels(["src": "foo", "src1": "bar", "src2": "foobar"])
        let result = try LabelFunctions.labelJoin(labels, destination: "dst", separator: ", ", sources: ["src", "src1", "src2"])
        #expect(result == Labels(["src": "foo", "src1": "bar", "src2": "foobar", "dst": "foo, bar, foobar"]))
    }

    @Test func joinRejectsInvalidNames() {
        #expect(throws: LabelFunctionError.invalidSourceLabel(function: "label_join", name: "")) {
            try LabelFunctions.labelJoin(Self.joinOriginal, destination: "", separator: "-", sources: ["src", ""])
        }
        #expect(throws: LabelFunctionError.invalidDestinationLabel(function: "label_join", name: "")) {
            try LabelFunctions.labelJoin(Self.joinOriginal, destination: "", separator: "-", sources: ["src"])
        }
        #expect(
            LabelFunctionError.invalidSourceLabel(function: "label_join", name: "").description
                == "invalid source label name in label_join(): ")
    }

    // MARK: Go's Regexp.Expand on its own

    @Test(arguments: [
        ("$1", "[1]"), ("${1}", "[1]"), ("$name", "[name]"), ("${name}x", "[name]x"), ("$namex", "[namex]"),
        ("$1x", "[1x]"), ("$_", "[_]"), ("$é1", "[é1]"), ("$$", "$"), ("$", "$"), ("a$", "a$"), ("$ ", "$ "),
        ("${}", "${}"), ("${1", "${1"), ("$01", "[01]"), ("$0", "[0]"), ("$123456789", "[123456789]"),
        ("$1234567890", "[1234567890]"), ("no refs", "no refs"), ("", ""),
    ] as [(String, String)])
    func expandTemplate(template: String, expected: String) {
        let result = LabelReplaceRegex.expand(template) { reference in
            switch reference {
            case let .number(number): return "[\(number)]"
            case let .name(name): return "[\(name)]"
            }
        }
        #expect(result == expected)
    }

    @Test func expandTellsNumbersFromNames() {
        var references: [LabelReplaceRegex.GroupReference] = []
        _ = LabelReplaceRegex.expand("$1 $01 $1234567890 $123456789 $x") { reference in
            references.append(reference)
            return nil
        }
        #expect(references == [.number(1), .name("01"), .name("1234567890"), .number(123_456_789), .name("x")])
    }
}
