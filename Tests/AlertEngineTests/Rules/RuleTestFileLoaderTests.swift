import MetricStore
import Testing

@testable import AlertEngine
import TestSupport

struct RuleTestFileLoaderTests {
    @Test func readsEveryField() throws {
        let directory = TestDirectory(prefix: "scalewatch-rules")
        defer { directory.remove() }
        for name in ["rules/b.yml", "rules/a.yml", "rules/other.yaml"] { try directory.write(name, "groups: []\n") }
        let text = """
            rule_files:
              - ../rules/*.yml
              - ../rules/a.yml
              - missing-*.yml
            evaluation_interval: 30s
            fuzzy_compare: true
            group_eval_order: [first, second]
            tests:
              - name: node down
                interval: 1m
                start_timestamp: 2021-01-01T00:00:00Z
                external_labels:
                  cluster: eu1
                external_url: https://prometheus.example.com
                input_series:
                  - series: 'up{job="node", instance="a:9100"}'
                    values: '1 1 0x3 _ stale'
                alert_rule_test:
                  - eval_time: 5m
                    alertname: InstanceDown
                    exp_alerts:
                      - exp_labels:
                          severity: page
                          instance: a:9100
                        exp_annotations:
                          summary: a:9100 down
                  - alertname: InstanceDown
                promql_expr_test:
                  - expr: sum(up)
                    eval_time: 1m
                    exp_samples:
                      - labels: '{}'
                        value: 1
                      - value: .inf
                      - labels: 'up{job="node"}'
                        value: -2.5e3
              - input_series: []
            """
        let file = try RuleTestFileLoader.parse(text, file: directory.path + "/tests/node.yml")
        #expect(file.ruleFilePatterns.map(\.text) == ["../rules/*.yml", "../rules/a.yml", "missing-*.yml"])
        #expect(file.ruleFilePatterns[0] == LocatedText("../rules/*.yml", line: 2, column: 5))
        #expect(file.ruleFiles == [directory.path + "/rules/a.yml", directory.path + "/rules/b.yml"])
        #expect(file.unmatchedRuleFilePatterns == ["missing-*.yml"])
        #expect(file.evaluationInterval == 30_000)
        #expect(file.fuzzyCompare)
        #expect(file.groupEvalOrder == ["first", "second"])
        #expect(file.tests.count == 2)

        let test = file.tests[0]
        #expect(test.name == "node down")
        #expect(test.interval == 60_000)
        #expect(test.startTimestamp == 1_609_459_200_000)
        #expect(test.externalLabels == Labels(["cluster": "eu1"]))
        #expect(test.externalURL == "https://prometheus.example.com")
        #expect((test.line, test.column) == (9, 5))

        let series = try #require(test.inputSeries.first)
        #expect(series.labels == Labels(["__name__": "up", "instance": "a:9100", "job": "node"]))
        #expect(series.values.map { $0.map(StaleMarker.isStale) } == [false, false, false, false, false, false, nil, true])
        #expect(series.values.prefix(6) == [1, 1, 0, 0, 0, 0])
        #expect(series.series == LocatedText("up{job=\"node\", instance=\"a:9100\"}", line: 16, column: 18))
        #expect(series.valuesText == LocatedText("1 1 0x3 _ stale", line: 17, column: 18))
        #expect(series.samples(start: 1000, interval: 60_000).map(\.timestamp) == [1000, 61_000, 121_000, 181_000, 241_000, 301_000, 421_000])

        #expect(test.alertRuleTests == [
            AlertRuleTest(
                evalTime: 300_000, alertname: "InstanceDown",
                expectedAlerts: [ExpectedAlert(labels: Labels(["instance": "a:9100", "severity": "page"]), annotations: Labels(["summary": "a:9100 down"]))],
                line: 19, column: 9),
            AlertRuleTest(evalTime: 0, alertname: "InstanceDown", expectedAlerts: [], line: 27, column: 9),
        ])
        let exprTest = try #require(test.promqlExprTests.first)
        #expect(exprTest.expr == LocatedText("sum(up)", line: 29, column: 15))
        #expect(exprTest.evalTime == 60_000)
        #expect(exprTest.expectedSamples == [
            ExpectedSample(labels: .empty, value: 1), ExpectedSample(labels: .empty, value: .infinity),
            ExpectedSample(labels: Labels(["__name__": "up", "job": "node"]), value: -2500),
        ])

        // The second test takes its interval from evaluation_interval, written above it or not.
        #expect(file.tests[1] == RuleTestGroup(interval: 30_000, line: 37, column: 5))
    }

    /// The example of Prometheus' unit-testing documentation, with the expansions its
    /// comments give.
    @Test func loadsTheDocumentationExample() throws {
        let directory = TestDirectory(prefix: "scalewatch-rules")
        defer { directory.remove() }
        try directory.write("alerts.yml", """
            groups:
            - name: example
              rules:

              - alert: InstanceDown
                expr: up == 0
                for: 5m
                labels:
                    severity: page
                annotations:
                    summary: "Instance {{ $labels.instance }} down"
                    description: "{{ $labels.instance }} of job {{ $labels.job }} has been down for more than 5 minutes."

              - alert: AnotherInstanceDown
                expr: up == 0
                for: 10m
                labels:
                    severity: page
                annotations:
                    summary: "Instance {{ $labels.instance }} down"
                    description: "{{ $labels.instance }} of job {{ $labels.job }} has been down for more than 5 minutes."
            """)
        let testPath = try directory.write("test.yml", """
            rule_files:
                - alerts.yml

            evaluation_interval: 1m

            tests:
                - interval: 1m
                  input_series:
                      - series: 'up{job="prometheus", instance="localhost:9090"}'
                        values: '0 0 0 0 0 0 0 0 0 0 0 0 0 0 0'
                      - series: 'up{job="node_exporter", instance="localhost:9100"}'
                        values: '1+0x6 0 0 0 0 0 0 0 0'
                      - series: 'go_goroutines{job="prometheus", instance="localhost:9090"}'
                        values: '10+10x2 30+20x5'
                      - series: 'go_goroutines{job="node_exporter", instance="localhost:9100"}'
                        values: '10+10x7 10+30x4'
                  alert_rule_test:
                      - eval_time: 10m
                        alertname: InstanceDown
                        exp_alerts:
                            - exp_labels:
                                  severity: page
                                  instance: localhost:9090
                                  job: prometheus
                              exp_annotations:
                                  summary: "Instance localhost:9090 down"
                                  description: "localhost:9090 of job prometheus has been down for more than 5 minutes."
                  promql_expr_test:
                      - expr: go_goroutines > 5
                        eval_time: 4m
                        exp_samples:
                            - labels: 'go_goroutines{job="prometheus",instance="localhost:9090"}'
                              value: 50
                            - labels: 'go_goroutines{job="node_exporter",instance="localhost:9100"}'
                              value: 50
            """)
        let testFile = try RuleTestFileLoader.load(path: testPath)
        #expect(testFile.ruleFiles == [directory.path + "/alerts.yml"])
        let rules = try RuleFileLoader.load(path: testFile.ruleFiles[0])
        #expect(rules.groups[0].rules.map(\.name) == ["InstanceDown", "AnotherInstanceDown"])
        #expect(rules.groups[0].rules.map(\.forDuration) == [300_000, 600_000])

        let series = testFile.tests[0].inputSeries
        #expect(series.map(\.values) == [
            Array(repeating: 0, count: 15),
            [1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0],
            [10, 20, 30, 30, 50, 70, 90, 110, 130],
            [10, 20, 30, 40, 50, 60, 70, 80, 10, 40, 70, 100, 130],
        ])
        #expect(series[3].labels == Labels(["__name__": "go_goroutines", "instance": "localhost:9100", "job": "node_exporter"]))
        #expect(testFile.tests[0].alertRuleTests[0].expectedAlerts[0].labels["instance"] == "localhost:9090")
        #expect(testFile.tests[0].promqlExprTests[0].expectedSamples.map(\.value) == [50, 50])
    }

    @Test func defaultsFollowPromtool() throws {
        let file = try RuleTestFileLoader.parse("tests:\n  - interval: 0s\nevaluation_interval: 0s\n", file: "t.yml")
        #expect(file.evaluationInterval == 60_000)
        #expect(file.tests[0].interval == 60_000)
        #expect(try RuleTestFileLoader.parse("", file: "t.yml") == RuleTestFile(file: "t.yml"))
    }

    @Test func absoluteRuleFilesAreNotJoinedToTheTestDirectory() throws {
        let directory = TestDirectory(prefix: "scalewatch-rules")
        defer { directory.remove() }
        let rules = try directory.write("rules.yml", "groups: []\n")
        let file = try RuleTestFileLoader.parse("rule_files: ['\(rules)']\n", file: "elsewhere/t.yml")
        #expect(file.ruleFiles == [rules])
    }

    @Test func loadsFromDisk() throws {
        let directory = TestDirectory(prefix: "scalewatch-rules")
        defer { directory.remove() }
        try directory.write("rules.yml", "groups: []\n")
        let path = try directory.write("test.yml", "rule_files: [rules.yml]\ntests: []\n")
        #expect(try RuleTestFileLoader.load(path: path).ruleFiles == [directory.path + "/rules.yml"])
        #expect {
            _ = try RuleTestFileLoader.load(path: directory.path + "/none.yml")
        } throws: { error in
            (error as? RuleFileErrors)?.errors.first?.message.hasPrefix("cannot read the file: open") == true
        }
    }

    struct Case: CustomTestStringConvertible, Sendable {
        let yaml: String
        let line: Int
        let column: Int
        let message: String
        var testDescription: String { message }
    }

    /// A test file around one test group's lines (each indented by 4); the group starts on line 2.
    static func test(_ lines: String) -> String {
        "tests:\n" + lines.split(separator: "\n", omittingEmptySubsequences: false).map { "    " + $0 }.joined(separator: "\n") + "\n"
    }

    static let errorCases: [Case] = [
        Case(yaml: "tests: [\n", line: 2, column: 1, message: "invalid YAML"),
        Case(yaml: "tests: []\ntests: []\n", line: 2, column: 1, message: "key \"tests\" appears twice in one mapping, first at line 1"),
        Case(yaml: "[]\n", line: 1, column: 1, message: "the top level must be a mapping of keys to values, got a list"),
        Case(yaml: "rule_file: []\n", line: 1, column: 1, message: "unknown key \"rule_file\" in the top level; expected one of: rule_files, evaluation_interval, fuzzy_compare, group_eval_order, tests"),
        Case(yaml: "rule_files: rules.yml\n", line: 1, column: 13, message: "rule_files must be a list, got 'rules.yml'"),
        Case(yaml: "rule_files:\n  - ''\n", line: 2, column: 5, message: "a rule_files entry must not be empty"),
        Case(yaml: "rule_files:\n  - [a]\n", line: 2, column: 5, message: "a rule_files entry must be a string, got a list"),
        Case(yaml: "evaluation_interval: 1x\n", line: 1, column: 22, message: "evaluation_interval must be a duration such as 5m, 1h30m or 500ms, got '1x'"),
        Case(yaml: "fuzzy_compare: yes\n", line: 1, column: 16, message: "fuzzy_compare must be true or false, got 'yes'"),
        Case(yaml: "group_eval_order: [a, b, a]\n", line: 1, column: 26, message: "group \"a\" is already listed in group_eval_order at line 1"),
        Case(yaml: "group_eval_order: [{a: b}]\n", line: 1, column: 20, message: "a group_eval_order entry must be a string, got a mapping"),
        Case(yaml: "tests: {}\n", line: 1, column: 8, message: "tests must be a list, got a mapping"),
        Case(yaml: "tests:\n  - x\n", line: 2, column: 5, message: "test must be a mapping of keys to values, got 'x'"),
        Case(yaml: test("- intervall: 1m"), line: 2, column: 7, message: "unknown key \"intervall\" in test; expected one of: name, interval, input_series"),
        Case(yaml: test("- interval: 1"), line: 2, column: 17, message: "interval must be a duration"),
        Case(yaml: test("- name: [a]"), line: 2, column: 13, message: "name must be a string, got a list"),
        Case(yaml: test("- start_timestamp: yesterday"), line: 2, column: 24, message: "start_timestamp must be Unix seconds or an RFC 3339 time such as 2021-01-01T00:00:00Z, got 'yesterday'"),
        Case(yaml: test("- external_labels:\n    bad-x: 1"), line: 3, column: 9, message: "invalid label name \"bad-x\" in external_labels"),
        Case(yaml: test("- external_url: [a]"), line: 2, column: 21, message: "external_url must be a string, got a list"),
        Case(yaml: test("- input_series: {}"), line: 2, column: 21, message: "input_series must be a list, got a mapping"),
        Case(yaml: test("- input_series:\n    - values: '1'"), line: 3, column: 11, message: "an input series needs series, such as up{job=\"api\"}"),
        Case(yaml: test("- input_series:\n    - series: ' '"), line: 3, column: 19, message: "series must name a series, such as up{job=\"api\"}"),
        Case(yaml: test("- input_series:\n    - series: 'up{job=~\"a\"}'"), line: 3, column: 26, message: "invalid series \"up{job=~\"a\"}\": unexpected '=~' in label set"),
        Case(yaml: test("- input_series:\n    - series: up\n      values: '1 2 x'"), line: 4, column: 24, message: "invalid values \"1 2 x\": unexpected \"x\" in series values, expected a number, '_' or 'stale'"),
        Case(yaml: test("- input_series:\n    - series: up\n      values: |\n        1 2\n        3 ?"), line: 6, column: 15, message: "invalid values \"1 2\\n3 ?\\n\": unexpected '?'"),
        Case(yaml: test("- input_series:\n    - series: up\n      value: '1'"), line: 4, column: 11, message: "unknown key \"value\" in input series; expected one of: series, values"),
        Case(yaml: test("- alert_rule_test:\n    - eval_time: 1m"), line: 3, column: 11, message: "an alert_rule_test entry needs alertname, the name of the alert it checks"),
        Case(yaml: test("- alert_rule_test:\n    - alertname: ''"), line: 3, column: 22, message: "an alert_rule_test entry needs alertname"),
        Case(yaml: test("- alert_rule_test:\n    - alertname: A\n      eval_time: soon"), line: 4, column: 22, message: "eval_time must be a duration"),
        Case(yaml: test("- alert_rule_test:\n    - alertname: A\n      exp_alerts: none"), line: 4, column: 23, message: "exp_alerts must be a list, got 'none'"),
        Case(yaml: test("- alert_rule_test:\n    - alertname: A\n      exp_alerts:\n        - exp_label: {}"), line: 5, column: 15, message: "unknown key \"exp_label\" in expected alert; expected one of: exp_labels, exp_annotations"),
        Case(yaml: test("- alert_rule_test:\n    - alertname: A\n      exp_alerts:\n        - exp_labels: {__name__: x}"), line: 5, column: 28, message: "exp_labels cannot set __name__"),
        Case(yaml: test("- alert_rule_test:\n    - alertname: A\n      exp_alerts:\n        - exp_annotations: {bad-name: x}"), line: 5, column: 33, message: "invalid annotation name \"bad-name\" in exp_annotations"),
        Case(yaml: test("- alert_rule_test:\n    - alertname: A\n      exp_alerts:\n        - 5"), line: 5, column: 15, message: "expected alert must be a mapping of keys to values, got '5'"),
        Case(yaml: test("- promql_expr_test:\n    - eval_time: 1m"), line: 3, column: 11, message: "a promql_expr_test entry needs expr, the PromQL expression it evaluates"),
        Case(yaml: test("- promql_expr_test:\n    - expr: ''"), line: 3, column: 17, message: "a promql_expr_test entry needs expr"),
        Case(yaml: test("- promql_expr_test:\n    - expr: [up]"), line: 3, column: 17, message: "expr must be a string, got a list"),
        Case(yaml: test("- promql_expr_test:\n    - expr: up\n      exp_samples:\n        - labels: 'up{'\n          value: 1"), line: 5, column: 27, message: "invalid labels \"up{\": unexpected end of text in label set"),
        Case(yaml: test("- promql_expr_test:\n    - expr: up\n      exp_samples:\n        - value: '1'"), line: 5, column: 22, message: "value must be a number, got '1'"),
        Case(yaml: test("- promql_expr_test:\n    - expr: up\n      exp_samples:\n        - value: Inf"), line: 5, column: 22, message: "value must be a number, got 'Inf'"),
        Case(yaml: test("- promql_expr_test:\n    - expr: up\n      exp_samples:\n        - values: 1"), line: 5, column: 15, message: "unknown key \"values\" in expected sample; expected one of: labels, value"),
        Case(yaml: test("- promql_expr_test:\n    - expr: up\n      foo: 1"), line: 4, column: 11, message: "unknown key \"foo\" in promql_expr_test entry; expected one of: expr, eval_time, exp_samples"),
    ]

    @Test(arguments: errorCases)
    func reportsWhereAndWhat(_ testCase: Case) {
        #expect {
            _ = try RuleTestFileLoader.parse(testCase.yaml, file: "t.yml")
        } throws: { error in
            guard let errors = error as? RuleFileErrors else { return false }
            let first = errors.errors[0]
            #expect(errors.errors.count == 1, "\(errors)")
            #expect(first.file == "t.yml")
            #expect((first.line, first.column) == (testCase.line, testCase.column), "\(first)")
            #expect(first.message.contains(testCase.message), "\(first)")
            return true
        }
    }

    @Test func reportsEveryErrorOfAFile() {
        let text = """
            evaluation_interval: never
            tests:
              - input_series:
                  - series: 'up{'
                    values: '1 x'
                alert_rule_test:
                  - eval_time: 1m
            """
        #expect {
            _ = try RuleTestFileLoader.parse(text, file: "t.yml")
        } throws: { error in
            let errors = (error as? RuleFileErrors)?.errors ?? []
            return errors.map { "\($0.line):\($0.column)" } == ["1:22", "4:21", "5:20", "7:9"]
        }
    }
}
