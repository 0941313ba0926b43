import MetricStore
import Testing

@testable import AlertEngine

@Suite struct AlertmanagerMatchersTests {
    struct Case: Sendable, CustomTestStringConvertible {
        let text: String
        /// name, operator, value of each matcher.
        let expected: [String]
        var testDescription: String { text }
    }

    @Test(arguments: [
        Case(text: #"severity="critical""#, expected: [#"severity="critical""#]),
        Case(text: "severity=critical", expected: [#"severity="critical""#]),
        Case(text: #"  team != "db"  "#, expected: [#"team!="db""#]),
        Case(text: #"alertname=~"Pg.*""#, expected: [#"alertname=~"Pg.*""#]),
        Case(text: #"job!~"node|pg""#, expected: [#"job!~"node|pg""#]),
        Case(text: #"{a="1", b=~"x|y"}"#, expected: [#"a="1""#, #"b=~"x|y""#]),
        Case(text: #"a="x,y",b="2""#, expected: [#"a="x,y""#, #"b="2""#]),
        Case(text: #"msg="say \"hi\"\n""#, expected: [#"msg="say \"hi\"\n""#]),
        Case(text: #"path="C:\dir""#, expected: [#"path="C:\\dir""#]),
        Case(text: "empty=", expected: [#"empty="""#]),
    ])
    func parses(_ test: Case) throws {
        let matchers = try AlertmanagerMatchers.parse(test.text)
        #expect(matchers.map(\.description) == test.expected)
    }

    @Test(arguments: [
        ("=x", "bad matcher format"),
        ("1a=x", "bad matcher format"),
        ("a x", "expected one of"),
        (#"a="x"#, "lacks its closing double quote"),
        (#"a="x"y""#, "unescaped double quote"),
        (#"a=~"(""#, "invalid regular expression"),
    ])
    func refuses(_ text: String, _ reason: String) {
        #expect {
            _ = try AlertmanagerMatchers.parse(text)
        } throws: { error in
            "\(error)".contains(reason) && "\(error)".contains(text)
        }
    }

    @Test func regexesAreAnchoredAndAMissingLabelIsEmpty() throws {
        let matchers = try AlertmanagerMatchers.parse(#"env=~"prod", team="""#)
        #expect(matchers.matches(Labels(["env": "prod"])))
        #expect(!matchers.matches(Labels(["env": "production"])))
        #expect(!matchers.matches(Labels(["env": "prod", "team": "db"])))
    }

    @Test func rendersSortedAsAlertmanagerKeysDo() throws {
        let matchers = try AlertmanagerMatchers.parse(#"job=~".*", env=~"produ.*""#)
        #expect(AlertmanagerMatchers.render(matchers) == #"{env=~"produ.*",job=~".*"}"#)
    }
}
