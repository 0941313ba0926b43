import MetricStore
import Testing
import Yams

@testable import AlertEngine

/// Every mistake the one YAML reader reports, in both dialects, with where it is reported.
struct LocatedYAMLReaderTests {
    struct Case: CustomTestStringConvertible, Sendable {
        let dialect: LocatedYAMLReader.Dialect
        /// The document; `read` gets the value of its key `v`.
        let yaml: String
        let read: @Sendable (LocatedYAMLReader, Node) -> Void
        let expected: String
        var testDescription: String { expected }

        init(_ dialect: LocatedYAMLReader.Dialect, _ yaml: String, _ expected: String, read: @escaping @Sendable (LocatedYAMLReader, Node) -> Void) {
            self.dialect = dialect
            self.yaml = yaml
            self.read = read
            self.expected = expected
        }

        init(_ yaml: String, _ expected: String, read: @escaping @Sendable (LocatedYAMLReader, Node) -> Void) {
            self.init(.prometheus, yaml, expected, read: read)
        }
    }

    static let errorCases: [Case] = [
        Case("v: [a]", "f.yml:1:4: section must be a mapping of keys to values, got a list") { r, v in _ = r.mapping(v, in: "section", allowed: []) },
        Case("v:\n  ? [k]\n  : 1\n", "f.yml:2:5: keys in section must be plain names, got a list") { r, v in _ = r.mapping(v, in: "section", allowed: []) },
        Case("v:\n  b: 1\n", "f.yml:2:3: unknown key \"b\" in section; expected one of: a, c") { r, v in _ = r.mapping(v, in: "section", allowed: ["a", "c"]) },
        Case("v: 1", "f.yml:1:4: things must be a list, got '1'") { r, v in _ = r.list(v, "things") },
        Case(.agent, "v:", "f.yml:1:3: things must be a list, got nothing") { r, v in _ = r.list(v, "things") },
        Case("v: {a: b}", "f.yml:1:4: names must be a list of strings, got a mapping") { r, v in _ = r.strings(v, "names") },
        Case("v: [a, [b]]", "f.yml:1:8: names items must be a string, got a list") { r, v in _ = r.strings(v, "names") },
        Case("v: [a]", "f.yml:1:4: name must be a string, got a list") { r, v in _ = r.string(v, "name") },
        Case(.agent, "v: ~", "f.yml:1:4: name must be a string, got nothing") { r, v in _ = r.string(v, "name") },
        Case("v: 5", "f.yml:1:4: for must be a duration such as 5m, 1h30m or 500ms, got '5'") { r, v in _ = r.duration(v, "for") },
        Case("v: 292471208y", "f.yml:1:4: for must be a duration of at most 106751d23h47m16s854ms (about 292 years), got '292471208y'") { r, v in
            _ = r.duration(v, "for")
        },
        Case(.agent, "v: 500ms", "f.yml:1:4: interval must be at least 1s, got '500ms'") { r, v in _ = r.duration(v, "interval", in: 1000...60_000) },
        Case(.agent, "v: 2m", "f.yml:1:4: interval must be between 1s and 1m, got '2m'") { r, v in _ = r.duration(v, "interval", in: 1000...60_000) },
        Case(.agent, "v: 999y", "f.yml:1:4: interval must be between 1s and 1m, got '999y'") { r, v in _ = r.duration(v, "interval", in: 1000...60_000) },
        Case("v: '5'", "f.yml:1:4: limit must be a whole number, 0 or more, got '5'") { r, v in _ = r.integer(v, "limit", in: 0...Int.max) },
        Case("v: -1", "f.yml:1:4: limit must be a whole number, 0 or more, got '-1'") { r, v in _ = r.integer(v, "limit", in: 0...Int.max) },
        Case(.agent, "v: 70000", "f.yml:1:4: port must be a whole number from 1 to 65535, got '70000'") { r, v in _ = r.integer(v, "port", in: 1...65535) },
        Case(.agent, "v:", "f.yml:1:3: port must be a whole number from 1 to 65535, got nothing") { r, v in _ = r.integer(v, "port", in: 1...65535) },
        Case("v: '1'", "f.yml:1:4: value must be a number, got '1'") { r, v in _ = r.number(v, "value") },
        Case("v: yes", "f.yml:1:4: on must be true or false, got 'yes'") { r, v in _ = r.bool(v, "on") },
        Case("v: [a]", "f.yml:1:4: labels must be a mapping of names to values, got a list") { r, v in _ = r.labels(v, "labels", names: .label) },
        Case("v:\n  ? [k]\n  : 1\n", "f.yml:2:5: annotation names in notes must be plain names, got a list") { r, v in
            _ = r.labels(v, "notes", names: .annotation)
        },
        Case("v: {a-b: 1}", "f.yml:1:5: invalid label name \"a-b\" in labels: label names start with a letter or '_' and go on with letters, digits or '_'") { r, v in
            _ = r.labels(v, "labels", names: .externalLabel)
        },
        Case("v: {__name__: x}", "f.yml:1:5: labels cannot set __name__, the metric name") { r, v in _ = r.labels(v, "labels", names: .label) },
        Case("v: {team: [x]}", "f.yml:1:11: the value of label \"team\" must be a string, got a list") { r, v in _ = r.labels(v, "labels", names: .label) },
    ]

    @Test(arguments: errorCases)
    func reportsWhereAndWhat(_ testCase: Case) throws {
        let reader = LocatedYAMLReader(file: "f.yml", text: testCase.yaml, dialect: testCase.dialect)
        let root = try #require(reader.compose())
        let value = try #require(root.mapping?["v"])
        testCase.read(reader, value)
        #expect(reader.errors.map(\.description) == [testCase.expected])
    }

    @Test(arguments: [
        ("v: [\n", "f.yml:2:1: invalid YAML"),
        ("a: 1\nb:\n  c: 2\na: 3\n", "f.yml:4:1: key \"a\" appears twice in one mapping, first at line 1"),
        ("a:\n  - {b: 1, b: 2}\n", "f.yml:2:6: key \"b\" appears more than once in this mapping"),
    ])
    func refusesWhatIsNotYAMLWhereItIs(yaml: String, expected: String) {
        let reader = LocatedYAMLReader(file: "f.yml", text: yaml, dialect: .agent)
        #expect(reader.compose() == nil)
        #expect(reader.errors.count == 1)
        #expect(reader.errors.first?.description.hasPrefix(expected) == true, "\(reader.errors)")
    }

    @Test func anEmptyValueIsTheZeroValueOnlyInThePrometheusDialect() throws {
        let text = "s:\nl:\nm:\n"
        let prometheus = LocatedYAMLReader(file: "f.yml", text: text, dialect: .prometheus)
        let root = try #require(prometheus.compose()?.mapping)
        #expect(prometheus.string(root["s"]!, "s") == "")
        #expect(prometheus.list(root["l"]!, "l")?.isEmpty == true)
        #expect(prometheus.labels(root["m"]!, "m", names: .label) == .empty)
        #expect(prometheus.errors.isEmpty)

        let agent = LocatedYAMLReader(file: "f.yml", text: text, dialect: .agent)
        #expect(agent.string(root["s"]!, "s") == nil)
        #expect(agent.list(root["l"]!, "l") == nil)
        #expect(agent.labels(root["m"]!, "m", names: .externalLabel) == nil)
        #expect(agent.errors.count == 3)
    }

    @Test func aQuotedNumberIsANumberOnlyInTheAgentDialect() throws {
        let node = try #require(try Yams.compose(yaml: "'42'"))
        #expect(LocatedYAMLReader(file: "f", text: "", dialect: .agent).integer(node, "n", in: 0...100) == 42)
        #expect(LocatedYAMLReader(file: "f", text: "", dialect: .prometheus).integer(node, "n", in: 0...100) == nil)
    }

    @Test func readsValuesAndKeepsGoingAfterAMistake() throws {
        let text = "a: 1m\nzz: 2\nb: [x, y]\nc: {team: db, __name__: x}\n"
        let reader = LocatedYAMLReader(file: "f.yml", text: text, dialect: .prometheus)
        let root = try #require(reader.compose())
        let entries = try #require(reader.mapping(root, in: "the top level", allowed: ["a", "b", "c"]))
        #expect(entries.map(\.key) == ["a", "b", "c"])
        #expect(reader.duration(entries[0].value, "a") == 60_000)
        #expect(reader.strings(entries[1].value, "b") == ["x", "y"])
        #expect(reader.labels(entries[2].value, "c", names: .externalLabel) == Labels(["__name__": "x", "team": "db"]))
        #expect(reader.errors.map(\.description) == ["f.yml:2:1: unknown key \"zz\" in the top level; expected one of: a, b, c"])
    }

    @Test func locatedTextStartsWhereTheTextDoes() throws {
        let text = "v: |\n  sum(\n    up)\n"
        let reader = LocatedYAMLReader(file: "f.yml", text: text, dialect: .prometheus)
        let value = try #require(reader.compose()?.mapping?["v"])
        let located = try #require(reader.locatedText(value, "v"))
        #expect((located.line, located.column, located.isVerbatim) == (2, 3, true))
    }
}
