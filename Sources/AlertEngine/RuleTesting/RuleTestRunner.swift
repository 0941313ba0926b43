import MetricStore

/// Runs promtool's rule unit-test files (`promtool test rules`) with the same semantics:
/// input series loaded lazily up to each evaluation, every rule group evaluated at every
/// `evaluation_interval` from the start to the last `eval_time`, alert expectations
/// compared with the firing alerts of the evaluation at or just before their `eval_time`,
/// and expression expectations queried after all evaluations.
public enum RuleTestRunner {
    /// The most rule evaluations one test group may ask for (its last `eval_time` divided by
    /// `evaluation_interval`): a year evaluated every minute fits; `eval_time: 100y` at `1ms`
    /// is refused instead of running for days, as promtool would.
    public static let maximumEvaluations: Int64 = 1_000_000

    /// `windowStart: .included` gives Prometheus 2's answers (promtool 2.x), so that a suite
    /// written against it passes unchanged.
    public static func run(file path: String, windowStart: WindowStart = .excluded) -> RuleTestReport {
        var report = RuleTestReport(file: path)
        let testFile: RuleTestFile
        do {
            testFile = try RuleTestFileLoader.load(path: path)
        } catch {
            report.failures = error.errors.map(\.description)
            return report
        }
        report.warnings = testFile.unmatchedRuleFilePatterns.map { "no file match pattern \($0)" }
        var seenGroupNames = Set<String>()
        for name in testFile.groupEvalOrder where !seenGroupNames.insert(name).inserted {
            report.failures.append("group name repeated in evaluation order: \(name)")
            return report
        }
        for test in testFile.tests {
            report.failures += run(test, in: testFile, windowStart: windowStart)
        }
        return report
    }

    static func run(_ test: RuleTestGroup, in file: RuleTestFile, windowStart: WindowStart = .excluded) -> [String] {
        let groups: [CompiledRuleGroup]
        do {
            groups = ordered(try RuleCompiler.load(paths: file.ruleFiles, defaultInterval: test.interval), by: file.groupEvalOrder)
        } catch {
            return error.errors.map(\.description)
        }
        let storage = RuleTestStorage(test.inputSeries.map { ($0.labels, $0.samples(start: test.startTimestamp, interval: test.interval)) })
        let engine = QueryEngine(source: storage, defaultSubqueryStep: file.evaluationInterval, windowStart: windowStart)
        let context = TemplateContext(externalLabels: test.externalLabels, externalURL: test.externalURL ?? "")
        // Alert rules count as restored from the start, so ALERTS is written at once.
        var states = groups.map { RuleGroupState(group: $0, restored: true) }
        let start = test.startTimestamp
        let testName = test.name.map { "    name: \($0),\n" } ?? ""
        let interval = file.evaluationInterval
        let evaluations = test.maxEvalTime < 0 ? 0 : test.maxEvalTime / interval + 1
        guard evaluations <= maximumEvaluations, !start.addingReportingOverflow(test.maxEvalTime).overflow else {
            return ["\(testName)    eval_time \(PrometheusDuration.format(milliseconds: test.maxEvalTime)) at evaluation_interval "
                + "\(PrometheusDuration.format(milliseconds: interval)) needs \(evaluations) rule evaluations; at most \(maximumEvaluations)"]
        }
        let alertTimes = Set(test.alertRuleTests.map(\.evalTime)).sorted()
        var nextAlertTime = 0
        var failures: [String] = []

        // Counted, not `time += interval` up to the last evaluation, which could step past
        // Int64.max when that is near it.
        for evaluation in 0..<evaluations {
            let time = start + evaluation * interval
            storage.load(through: time)
            var evaluationErrors: [String] = []
            for index in states.indices {
                for error in states[index].evaluate(at: time, engine: engine, sink: storage, context: context) {
                    evaluationErrors.append("    rule: \(error.rule), time: \(PrometheusDuration.format(milliseconds: time - start)), err: \(error.message)")
                }
            }
            // An evaluation error ends the test group, as in promtool.
            if !evaluationErrors.isEmpty { return failures + evaluationErrors }

            while nextAlertTime < alertTimes.count, alertTimes[nextAlertTime] + start >= time,
                alertTimes[nextAlertTime] + start - time < interval {
                let evalTime = alertTimes[nextAlertTime]
                for alertTest in test.alertRuleTests where alertTest.evalTime == evalTime {
                    let got = firing(alertTest.alertname, in: states)
                    let expected = alertTest.expectedAlerts.map {
                        AlertComparison(labels: $0.labels.adding("alertname", alertTest.alertname), annotations: $0.annotations)
                    }.sorted()
                    if got != expected {
                        failures.append(
                            "\(testName)    alertname: \(alertTest.alertname), time: \(PrometheusDuration.format(milliseconds: evalTime)), \n"
                                + "        exp:\(AlertComparison.text(expected)), \n        got:\(AlertComparison.text(got))")
                    }
                }
                nextAlertTime += 1
            }
        }

        for exprTest in test.promqlExprTests {
            failures += check(exprTest, engine: engine, start: start, fuzzy: file.fuzzyCompare)
        }
        return failures
    }

    private static func check(_ test: PromQLExprTest, engine: QueryEngine, start: Int64, fuzzy: Bool) -> [String] {
        let header = "    expr: \(GoQuote.quote(test.expr.text)), time: \(PrometheusDuration.format(milliseconds: test.evalTime))"
        let got: [VectorSample]
        do {
            let expr = try PromQLParser.parse(test.expr.text)
            switch try engine.instantQuery(expr, at: start + test.evalTime) {
            case .vector(let samples): got = samples
            case .scalar(let value): got = [VectorSample(labels: .empty, value: value, timestamp: start + test.evalTime)]
            case .matrix, .string: return ["\(header), err: rule result is not a vector or scalar"]
            }
        } catch let error as PromQLParseError {
            return ["\(header), err: \(error.description)"]
        } catch {
            return ["\(header), err: \(error)"]
        }
        let gotSamples = got.map { ($0.labels, $0.value) }.sorted { $0.0 < $1.0 }
        let expected = test.expectedSamples.map { ($0.labels, $0.value) }.sorted { $0.0 < $1.0 }
        let equal = gotSamples.count == expected.count && zip(gotSamples, expected).allSatisfy { got, want in
            got.0 == want.0 && (fuzzy ? HistogramQuantile.almostEqual(got.1, want.1, tolerance: 1e-6) : got.1 == want.1)
        }
        if equal { return [] }
        return ["\(header),\n        exp: \(samplesText(expected))\n        got: \(samplesText(gotSamples))"]
    }

    /// Listed groups first in the listed order; the rest after them, in file order.
    static func ordered(_ groups: [CompiledRuleGroup], by order: [String]) -> [CompiledRuleGroup] {
        let position = Dictionary(order.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
        return groups.enumerated().sorted { lhs, rhs in
            let left = position[lhs.element.name] ?? order.count, right = position[rhs.element.name] ?? order.count
            return left != right ? left < right : lhs.offset < rhs.offset
        }.map(\.element)
    }

    private static func firing(_ alertname: String, in states: [RuleGroupState]) -> [AlertComparison] {
        states.flatMap(\.alerts)
            .filter { $0.rule == alertname && $0.state == .firing }
            .map { AlertComparison(labels: $0.labels, annotations: $0.annotations) }
            .sorted()
    }

    private static func samplesText(_ samples: [(Labels, Double)]) -> String {
        guard !samples.isEmpty else { return "nil" }
        return samples.map { "\($0.0.prometheusText) \(GoFloatFormat.format($0.1, verb: "E", precision: -1))" }
            .joined(separator: ", ")
    }
}

/// An alert as promtool compares it: labels and annotations, sorted by labels first.
struct AlertComparison: Hashable, Comparable {
    let labels: Labels
    let annotations: Labels

    static func < (lhs: AlertComparison, rhs: AlertComparison) -> Bool {
        lhs.labels != rhs.labels ? lhs.labels < rhs.labels : lhs.annotations < rhs.annotations
    }

    static func text(_ alerts: [AlertComparison]) -> String {
        guard !alerts.isEmpty else { return "[]" }
        let items = alerts.enumerated().map { index, alert in
            "\(index):\n  Labels:\(alert.labels.prometheusText)\n  Annotations:\(alert.annotations.prometheusText)"
        }
        return "[\n" + items.joined(separator: ",\n") + "\n]"
    }
}

extension RuleTestGroup {
    /// The latest `eval_time` of any expectation: evaluation runs up to it.
    var maxEvalTime: Int64 {
        (alertRuleTests.map(\.evalTime) + promqlExprTests.map(\.evalTime)).max() ?? 0
    }
}
