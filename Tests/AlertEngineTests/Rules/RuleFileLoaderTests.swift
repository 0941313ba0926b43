import MetricStore
import Testing

@testable import AlertEngine
import TestSupport

struct RuleFileLoaderTests {
    @Test func readsEveryField() throws {
        let text = """
            groups:
              - name: node
                interval: 30s
                limit: 10
                query_offset: 1m
                labels:
                  team: infra
                rules:
                  - record: instance:node_cpu:rate5m
                    expr: sum by (instance) (rate(node_cpu_seconds_total[5m]))
                    labels:
                      source: recording
                  - alert: InstanceDown
                    expr: |
                      up
                        == 0
                    for: 5m
                    keep_firing_for: 10m
                    labels:
                      severity: page
                    annotations:
                      summary: "{{ $labels.instance }} is down"
              - name: empty
                rules:
            """
        let file = try RuleFileLoader.parse(text, file: "rules.yml")
        #expect(file.file == "rules.yml")
        #expect(file.groups.count == 2)
        let node = file.groups[0]
        #expect(node.name == "node")
        #expect(node.interval == 30_000)
        #expect(node.limit == 10)
        #expect(node.queryOffset == 60_000)
        #expect(node.labels == Labels(["team": "infra"]))
        #expect((node.line, node.column) == (2, 5))
        #expect(node.rules.count == 2)

        let recording = node.rules[0]
        #expect(recording.kind == .recording)
        #expect(recording.name == "instance:node_cpu:rate5m")
        #expect(recording.expr == LocatedText("sum by (instance) (rate(node_cpu_seconds_total[5m]))", line: 10, column: 15))
        #expect(recording.labels == Labels(["source": "recording"]))
        #expect(recording.forDuration == 0)
        #expect((recording.line, recording.column) == (9, 9))

        let alerting = node.rules[1]
        #expect(alerting.kind == .alerting)
        #expect(alerting.name == "InstanceDown")
        #expect(alerting.expr == LocatedText("up\n  == 0\n", line: 15, column: 11))
        #expect(alerting.forDuration == 300_000)
        #expect(alerting.keepFiringFor == 600_000)
        #expect(alerting.labels == Labels(["severity": "page"]))
        #expect(alerting.annotations == Labels(["summary": "{{ $labels.instance }} is down"]))

        #expect(file.groups[1] == RuleGroup(name: "empty", rules: [], line: 23, column: 5))
    }

    @Test(arguments: ["", "# only a comment\n", "groups:\n", "groups: []\n", "~\n"])
    func emptyFilesHaveNoGroups(text: String) throws {
        #expect(try RuleFileLoader.parse(text, file: "f.yml").groups.isEmpty)
    }

    @Test func numbersAndBooleansAreReadAsText() throws {
        let text = """
            groups:
              - name: 1
                rules:
                  - record: one
                    expr: 1
                    labels: {count: 5, flag: true, empty: }
            """
        let group = try RuleFileLoader.parse(text, file: "f.yml").groups[0]
        #expect(group.name == "1")
        #expect(group.rules[0].expr.text == "1")
        // An empty label value is no label, as everywhere in Prometheus.
        #expect(group.rules[0].labels == Labels(["count": "5", "flag": "true"]))
    }

    @Test func forZeroIsAllowedOnRecordingRules() throws {
        // promtool only objects to a `for` that does something.
        let text = "groups:\n- name: g\n  rules:\n  - record: r\n    expr: up\n    for: 0s\n    annotations: {}\n"
        #expect(try RuleFileLoader.parse(text, file: "f.yml").groups[0].rules[0].kind == .recording)
    }

    struct Case: CustomTestStringConvertible, Sendable {
        let yaml: String
        let line: Int
        let column: Int
        let message: String
        var testDescription: String { message }
    }

    /// A rule file around one rule's lines (each indented by 4); the rule starts on line 4.
    static func rule(_ lines: String) -> String {
        "groups:\n  - name: g\n    rules:\n" + lines.split(separator: "\n", omittingEmptySubsequences: false).map { "    " + $0 }.joined(separator: "\n") + "\n"
    }

    static let errorCases: [Case] = [
        Case(yaml: "groups: [\n", line: 2, column: 1, message: "invalid YAML"),
        Case(yaml: "groups:\n\t- name: a\n", line: 2, column: 1, message: "invalid YAML"),
        Case(yaml: "groups:\n  - name: a\n    name: b\n", line: 3, column: 5, message: "key \"name\" appears twice in one mapping, first at line 2"),
        Case(yaml: rule("- record: a\n  expr: up\n  expr: down"), line: 6, column: 7, message: "key \"expr\" appears twice in one mapping, first at line 5"),
        Case(yaml: "groups: [{name: a, name: b}]\n", line: 1, column: 11, message: "key \"name\" appears more than once in this mapping"),
        Case(yaml: "- a\n", line: 1, column: 1, message: "the top level must be a mapping of keys to values, got a list"),
        Case(yaml: "groupz: []\n", line: 1, column: 1, message: "unknown key \"groupz\" in the top level; expected one of: groups"),
        Case(yaml: "groups: {}\n", line: 1, column: 9, message: "groups must be a list, got a mapping"),
        Case(yaml: "groups:\n  - name\n", line: 2, column: 5, message: "group must be a mapping of keys to values, got 'name'"),
        Case(yaml: "groups:\n  - rules: []\n", line: 2, column: 5, message: "group has no name"),
        Case(yaml: "groups:\n  - name: ''\n", line: 2, column: 11, message: "group name must not be empty"),
        Case(yaml: "groups:\n  - name: [a]\n", line: 2, column: 11, message: "name must be a string, got a list"),
        Case(yaml: "groups:\n  - name: a\n  - name: b\n  - name: a\n", line: 4, column: 11, message: "group name \"a\" is already used at line 2"),
        Case(yaml: "groups:\n  - name: a\n    intervall: 1m\n", line: 3, column: 5, message: "unknown key \"intervall\" in group; expected one of: name, interval, limit, query_offset, labels, rules"),
        Case(yaml: "groups:\n  - name: a\n    interval: 1.5m\n", line: 3, column: 15, message: "interval must be a duration such as 5m, 1h30m or 500ms, got '1.5m'"),
        Case(yaml: "groups:\n  - name: a\n    query_offset: soon\n", line: 3, column: 19, message: "query_offset must be a duration"),
        Case(yaml: "groups:\n  - name: a\n    limit: -1\n", line: 3, column: 12, message: "limit must be a whole number, 0 or more, got '-1'"),
        Case(yaml: "groups:\n  - name: a\n    limit: '5'\n", line: 3, column: 12, message: "limit must be a whole number"),
        Case(yaml: "groups:\n  - name: a\n    labels: [a]\n", line: 3, column: 13, message: "group labels must be a mapping of names to values, got a list"),
        Case(yaml: "groups:\n  - name: a\n    labels:\n      bad-name: x\n", line: 4, column: 7, message: "invalid label name \"bad-name\" in group labels"),
        Case(yaml: "groups:\n  - name: a\n    labels:\n      __name__: x\n", line: 4, column: 7, message: "group labels cannot set __name__"),
        Case(yaml: "groups:\n  - name: a\n    labels:\n      team: [x]\n", line: 4, column: 13, message: "the value of label \"team\" must be a string, got a list"),
        Case(yaml: "groups:\n  - name: a\n    rules: {}\n", line: 3, column: 12, message: "rules must be a list, got a mapping"),
        Case(yaml: rule("- up"), line: 4, column: 7, message: "rule must be a mapping of keys to values, got 'up'"),
        Case(yaml: rule("- record: a\n  expr: up\n  exr: up"), line: 6, column: 7, message: "unknown key \"exr\" in rule; expected one of: record, alert, expr, for, keep_firing_for, labels, annotations"),
        Case(yaml: rule("- expr: up"), line: 4, column: 7, message: "a rule needs record (a recording rule) or alert (an alerting rule)"),
        Case(yaml: rule("- record: a\n  alert: B\n  expr: up"), line: 5, column: 14, message: "a rule has either record or alert, not both"),
        Case(yaml: rule("- alert: B\n  record: a\n  expr: up"), line: 5, column: 15, message: "a rule has either record or alert, not both"),
        Case(yaml: rule("- record: ''\n  expr: up"), line: 4, column: 15, message: "record must not be empty"),
        Case(yaml: rule("- alert:\n  expr: up"), line: 4, column: 13, message: "alert must not be empty"),
        Case(yaml: rule("- record: {a: b}\n  expr: up"), line: 4, column: 15, message: "record must be a string, got a mapping"),
        Case(yaml: rule("- record: a"), line: 4, column: 7, message: "a rule needs expr"),
        Case(yaml: rule("- record: a\n  expr: ''"), line: 5, column: 13, message: "expr must not be empty"),
        Case(yaml: rule("- record: a\n  expr: [up]"), line: 5, column: 13, message: "expr must be a string, got a list"),
        Case(yaml: rule("- record: bad name\n  expr: up"), line: 4, column: 15, message: "invalid recording rule name \"bad name\": metric names start with"),
        Case(yaml: rule("- record: 'job:up{a=\"b\"}'\n  expr: up"), line: 4, column: 15, message: "invalid recording rule name"),
        Case(yaml: rule("- record: 1up\n  expr: up"), line: 4, column: 15, message: "invalid recording rule name \"1up\""),
        Case(yaml: rule("- record: a\n  expr: up\n  for: 5m"), line: 6, column: 7, message: "for is only for alerting rules, and \"a\" is a recording rule"),
        Case(yaml: rule("- record: a\n  expr: up\n  keep_firing_for: 5m"), line: 6, column: 7, message: "keep_firing_for is only for alerting rules"),
        Case(yaml: rule("- record: a\n  expr: up\n  annotations:\n    summary: x"), line: 6, column: 7, message: "annotations is only for alerting rules"),
        Case(yaml: rule("- alert: A\n  expr: up\n  for: 5"), line: 6, column: 12, message: "for must be a duration such as 5m, 1h30m or 500ms, got '5'"),
        Case(yaml: rule("- alert: A\n  expr: up\n  keep_firing_for: -1m"), line: 6, column: 24, message: "keep_firing_for must be a duration"),
        // Past Int64 nanoseconds, as Prometheus refuses; `offset` by such a `for` used to overflow.
        Case(yaml: rule("- alert: A\n  expr: up\n  for: 292471208y"), line: 6, column: 12, message: "for must be a duration of at most 106751d23h47m16s854ms (about 292 years), got '292471208y'"),
        Case(yaml: rule("- alert: A\n  expr: up\n  keep_firing_for: 293y"), line: 6, column: 24, message: "keep_firing_for must be a duration of at most 106751d23h47m16s854ms"),
        Case(yaml: "groups:\n  - name: a\n    interval: 9223372036855ms\n", line: 3, column: 15, message: "interval must be a duration of at most 106751d23h47m16s854ms"),
        Case(yaml: rule("- alert: A\n  expr: up\n  labels:\n    bad.label: x"), line: 7, column: 9, message: "invalid label name \"bad.label\" in rule labels: label names start with a letter or '_'"),
        Case(yaml: rule("- alert: A\n  expr: up\n  labels:\n    __name__: x"), line: 7, column: 9, message: "rule labels cannot set __name__"),
        Case(yaml: rule("- alert: A\n  expr: up\n  annotations:\n    9lives: x"), line: 7, column: 9, message: "invalid annotation name \"9lives\" in annotations"),
        Case(yaml: rule("- alert: A\n  expr: up\n  annotations:\n    [a]: x"), line: 7, column: 9, message: "annotation names in annotations must be plain names, got a list"),
        Case(yaml: rule("- alert: A\n  expr: up\n  annotations: text"), line: 6, column: 20, message: "annotations must be a mapping of names to values, got 'text'"),
    ]

    @Test(arguments: errorCases)
    func reportsWhereAndWhat(_ testCase: Case) {
        #expect {
            _ = try RuleFileLoader.parse(testCase.yaml, file: "rules.yml")
        } throws: { error in
            guard let errors = error as? RuleFileErrors else { return false }
            let first = errors.errors[0]
            #expect(errors.errors.count == 1, "\(errors)")
            #expect(first.file == "rules.yml")
            #expect((first.line, first.column) == (testCase.line, testCase.column), "\(first)")
            #expect(first.message.contains(testCase.message), "\(first)")
            return true
        }
    }

    @Test func reportsEveryErrorOfAFileInFileOrder() {
        let text = """
            groups:
              - name: a
                rules:
                  - record: bad name
                    expr: up
                    for: 1m
                  - alert: X
                    exr: up
              - name: a
                interval: often
            """
        #expect {
            _ = try RuleFileLoader.parse(text, file: "r.yml")
        } throws: { error in
            let errors = (error as? RuleFileErrors)?.errors ?? []
            #expect(errors.map { "\($0.line):\($0.column)" } == ["4:17", "6:9", "7:9", "8:9", "9:11", "10:15"])
            #expect(errors.map(\.description).first == "r.yml:4:17: invalid recording rule name \"bad name\": metric names start with a letter, '_' or ':' and go on with letters, digits, '_' or ':'")
            return errors.count == 6
        }
    }

    @Test func errorDescriptionsArePrintedOnePerLine() {
        let errors = RuleFileErrors([
            RuleFileError(file: "b.yml", line: 3, column: 1, "second"), RuleFileError(file: "b.yml", line: 1, column: 2, "first"),
        ])
        #expect(errors.description == "b.yml:1:2: first\nb.yml:3:1: second")
    }

    /// An expression checker that refuses any `!`, at its place in the text.
    static func refuseBang(_ text: String) -> ExpressionProblem? {
        for (lineIndex, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            if let index = line.firstIndex(of: "!") {
                return ExpressionProblem(line: lineIndex + 1, column: line.distance(from: line.startIndex, to: index) + 1, "unexpected '!'")
            }
        }
        return nil
    }

    @Test(arguments: [
        ("  expr: up !", 5, 16),
        ("  expr: 'up !'", 5, 17),
        ("  expr: \"up !\"", 5, 17),
        ("  expr:\n    up !", 6, 12),
        ("  expr: |\n    sum(\n      up !\n    )", 7, 14),
        ("  expr: |-\n\n    up !", 7, 12),
        ("  expr: >-\n    up !", 6, 12),
    ])
    func expressionErrorsPointIntoTheFile(exprLines: String, line: Int, column: Int) {
        let text = Self.rule("- record: a\n" + exprLines)
        #expect {
            _ = try RuleFileLoader.parse(text, file: "r.yml", checkExpression: Self.refuseBang(_:))
        } throws: { error in
            guard let first = (error as? RuleFileErrors)?.errors.first else { return false }
            #expect(first.message == "invalid expr: unexpected '!'")
            #expect((first.line, first.column) == (line, column), "\(first)")
            return true
        }
    }

    @Test func loadsFromDiskAndNamesUnreadableFiles() throws {
        let directory = TestDirectory(prefix: "scalewatch-rules")
        defer { directory.remove() }
        let path = try directory.write("rules.yml", "groups:\n  - name: g\n    rules:\n      - record: r\n        expr: up\n")
        #expect(try RuleFileLoader.load(path: path).groups[0].rules[0].name == "r")

        let missing = directory.path + "/missing.yml"
        #expect {
            _ = try RuleFileLoader.load(path: missing)
        } throws: { error in
            let first = (error as? RuleFileErrors)?.errors.first
            return first?.file == missing && first?.line == 0 && first?.message.contains("No such file or directory") == true
        }
    }

    @Test func refusesTextThatIsNotUTF8() throws {
        let directory = TestDirectory(prefix: "scalewatch-rules")
        defer { directory.remove() }
        let path = directory.path + "/latin1.yml"
        let file = try PosixFileSystem().create(path)
        try file.write([0x67, 0x3A, 0x20, 0xE9, 0x0A])
        try file.close()
        #expect {
            _ = try RuleFileLoader.load(path: path)
        } throws: { error in
            (error as? RuleFileErrors)?.errors.first?.message == "the file is not UTF-8 text"
        }
    }

    @Test func anEndlessFileIsRefusedNotReadUntilMemoryRunsOut() {
        #expect {
            _ = try RuleFileLoader.load(path: "/dev/zero")
        } throws: { error in
            (error as? RuleFileErrors)?.errors.first?.description == "/dev/zero: the file is larger than 16 MiB"
        }
    }
}
