import AlertEngine
import Foundation
import MetricStore
import Testing

/// A promqltest script (Prometheus' promql/promqltest format): `load`, `clear`,
/// `eval instant at …`, `eval range from … to … step …`, `eval_fail`, `eval_ordered`, and the
/// indented `expect fail` / `expect ordered` lines. Runs against a MemorySampleSource.
struct PromQLScript: Sendable, CustomTestStringConvertible {
    let name: String
    let text: String
    var windowStart: WindowStart = .excluded

    init(_ name: String, _ text: String, windowStart: WindowStart = .excluded) {
        self.name = name
        self.text = text
        self.windowStart = windowStart
    }

    var testDescription: String { name }

    private struct Evaluation {
        var line: Int
        var query: String
        var instantTime: Int64?
        var range: (start: Int64, end: Int64, step: Int64)?
        var shouldFail = false
        var failureMessage: String?
        var ordered = false
        var expected: [String] = []
    }

    /// Runs every command, recording an issue for each expectation that does not hold.
    func run(sourceLocation: Testing.SourceLocation = #_sourceLocation) throws {
        var source = MemorySampleSource()
        let lines = text.components(separatedBy: "\n")
        var index = 0
        func isIndented(_ line: String) -> Bool { line.hasPrefix(" ") || line.hasPrefix("\t") }
        func body() -> [(Int, String)] {
            var collected: [(Int, String)] = []
            while index < lines.count, isIndented(lines[index]) || lines[index].trimmingCharacters(in: .whitespaces).hasPrefix("#") {
                let trimmed = lines[index].trimmingCharacters(in: .whitespaces)
                if !trimmed.isEmpty && !trimmed.hasPrefix("#") { collected.append((index + 1, trimmed)) }
                index += 1
            }
            return collected
        }
        while index < lines.count {
            let line = lines[index].trimmingCharacters(in: .whitespaces)
            let lineNumber = index + 1
            index += 1
            if line.isEmpty || line.hasPrefix("#") { continue }
            if line == "clear" {
                source = MemorySampleSource()
            } else if line.hasPrefix("load ") {
                let interval = try PromQLScriptNotation.duration(String(line.dropFirst(5)).trimmingCharacters(in: .whitespaces))
                for (_, seriesLine) in body() {
                    let (descriptor, valueText) = PromQLScriptNotation.splitSeriesLine(seriesLine)
                    let labels = try PromQLScriptNotation.labels(descriptor)
                    let samples = try PromQLScriptNotation.values(valueText).enumerated().compactMap { step, value in
                        value.map { Sample(timestamp: Int64(step) * interval, value: $0) }
                    }
                    source.append(labels, samples)
                }
            } else if line.hasPrefix("eval") {
                var evaluation = try parseEval(line, lineNumber)
                for (_, bodyLine) in body() {
                    if bodyLine.hasPrefix("expect fail") {
                        evaluation.shouldFail = true
                        if let range = bodyLine.range(of: "msg:") {
                            evaluation.failureMessage = bodyLine[range.upperBound...].trimmingCharacters(in: .whitespaces)
                        }
                    } else if bodyLine == "expect ordered" {
                        evaluation.ordered = true
                    } else if bodyLine.hasPrefix("expect ") {
                        continue  // warnings and infos are not modelled
                    } else {
                        evaluation.expected.append(bodyLine)
                    }
                }
                try check(evaluation, source: source, sourceLocation: sourceLocation)
            } else {
                Issue.record("\(name): line \(lineNumber): unknown command \(line)", sourceLocation: sourceLocation)
            }
        }
    }

    private func parseEval(_ line: String, _ lineNumber: Int) throws -> Evaluation {
        var words = line.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
        var evaluation = Evaluation(line: lineNumber, query: "")
        switch words.removeFirst() {
        case "eval_fail": evaluation.shouldFail = true
        case "eval_ordered": evaluation.ordered = true
        default: break
        }
        if words.first == "instant" {
            // instant at <time> <query>
            evaluation.instantTime = try PromQLScriptNotation.duration(words[2])
            evaluation.query = words.dropFirst(3).joined(separator: " ")
        } else {
            // range from <start> to <end> step <step> <query>
            evaluation.range = (
                try PromQLScriptNotation.duration(words[2]), try PromQLScriptNotation.duration(words[4]), try PromQLScriptNotation.duration(words[6])
            )
            evaluation.query = words.dropFirst(7).joined(separator: " ")
        }
        return evaluation
    }

    private func check(_ evaluation: Evaluation, source: MemorySampleSource, sourceLocation: Testing.SourceLocation) throws {
        let context = "\(name): line \(evaluation.line): \(evaluation.query)"
        let expr = try PromQLParser.parse(evaluation.query)
        let engine = QueryEngine(source: source, windowStart: windowStart)
        do {
            if let time = evaluation.instantTime {
                let value = try engine.instantQuery(expr, at: time)
                if evaluation.shouldFail {
                    Issue.record("\(context): expected an error, got \(value)", sourceLocation: sourceLocation)
                    return
                }
                try compareInstant(value, evaluation, context: context, sourceLocation: sourceLocation)
            } else if let range = evaluation.range {
                let series = try engine.rangeQuery(expr, start: range.start, end: range.end, step: range.step)
                if evaluation.shouldFail {
                    Issue.record("\(context): expected an error, got \(series)", sourceLocation: sourceLocation)
                    return
                }
                try compareRange(series, evaluation, context: context, sourceLocation: sourceLocation)
            }
        } catch {
            if !evaluation.shouldFail {
                Issue.record("\(context): unexpected error \(error)", sourceLocation: sourceLocation)
            } else if let message = evaluation.failureMessage, message != "\(error)" {
                Issue.record("\(context): error \"\(error)\", expected \"\(message)\"", sourceLocation: sourceLocation)
            }
        }
    }

    private func compareInstant(_ value: QueryValue, _ evaluation: Evaluation, context: String, sourceLocation: Testing.SourceLocation) throws {
        switch value {
        case let .scalar(actual):
            guard evaluation.expected.count == 1, let expected = try? PromQLScriptNotation.number(evaluation.expected[0]) else {
                Issue.record("\(context): got scalar \(actual), expected \(evaluation.expected)", sourceLocation: sourceLocation)
                return
            }
            if !Self.almostEqual(actual, expected) {
                Issue.record("\(context): got \(actual), expected \(expected)", sourceLocation: sourceLocation)
            }
        case let .vector(samples):
            var expected: [(Labels, Double)] = []
            for line in evaluation.expected {
                let (descriptor, valueText) = PromQLScriptNotation.splitSeriesLine(line)
                expected.append((try PromQLScriptNotation.labels(descriptor), try PromQLScriptNotation.number(valueText)))
            }
            let actual = samples.map { ($0.labels, $0.value) }
            compare(actual, expected, ordered: evaluation.ordered, context: context, sourceLocation: sourceLocation)
        case let .matrix(series):
            try compareRange(series, evaluation, context: context, sourceLocation: sourceLocation, pointsAreSamples: true)
        case let .string(text):
            Issue.record("\(context): got string \(text)", sourceLocation: sourceLocation)
        }
    }

    private func compare(
        _ actual: [(Labels, Double)], _ expected: [(Labels, Double)], ordered: Bool, context: String, sourceLocation: Testing.SourceLocation
    ) {
        let sortedActual = ordered ? actual : actual.sorted { $0.0 < $1.0 }
        let sortedExpected = ordered ? expected : expected.sorted { $0.0 < $1.0 }
        let matches = sortedActual.count == sortedExpected.count
            && zip(sortedActual, sortedExpected).allSatisfy { $0.0 == $1.0 && Self.almostEqual($0.1, $1.1) }
        if !matches {
            let show = { (list: [(Labels, Double)]) in list.map { "\($0.0.prometheusDescription) \($0.1)" }.joined(separator: "; ") }
            Issue.record("\(context):\n  got      \(show(sortedActual))\n  expected \(show(sortedExpected))", sourceLocation: sourceLocation)
        }
    }

    /// Range results (and an instant query's matrix): `{labels} values…` lines in the load
    /// notation, one value per step from the start (or per `load` interval for a matrix,
    /// whose lines give timestamps as `value@time`).
    private func compareRange(
        _ series: [RangeSeries], _ evaluation: Evaluation, context: String, sourceLocation: Testing.SourceLocation,
        pointsAreSamples: Bool = false
    ) throws {
        var expected: [(Labels, [Sample])] = []
        for line in evaluation.expected {
            let (descriptor, valueText) = PromQLScriptNotation.splitSeriesLine(line)
            var points: [Sample] = []
            if pointsAreSamples {
                for token in valueText.split(separator: " ") {
                    let parts = token.split(separator: "@")
                    points.append(Sample(timestamp: try PromQLScriptNotation.duration(String(parts[1])), value: try PromQLScriptNotation.number(String(parts[0]))))
                }
            } else if let range = evaluation.range {
                for (step, value) in try PromQLScriptNotation.values(valueText).enumerated() {
                    if let value { points.append(Sample(timestamp: range.start + Int64(step) * range.step, value: value)) }
                }
            }
            expected.append((try PromQLScriptNotation.labels(descriptor), points))
        }
        let actual = series.map { ($0.labels, $0.points) }.sorted { $0.0 < $1.0 }
        expected.sort { $0.0 < $1.0 }
        let matches = actual.count == expected.count && zip(actual, expected).allSatisfy { got, want in
            got.0 == want.0 && got.1.count == want.1.count
                && zip(got.1, want.1).allSatisfy { $0.timestamp == $1.timestamp && Self.almostEqual($0.value, $1.value) }
        }
        if !matches {
            let show = { (list: [(Labels, [Sample])]) in
                list.map { "\($0.0.prometheusDescription) \($0.1.map { "\($0.value)@\($0.timestamp)" }.joined(separator: " "))" }
                    .joined(separator: "; ")
            }
            Issue.record("\(context):\n  got      \(show(actual))\n  expected \(show(expected))", sourceLocation: sourceLocation)
        }
    }

    /// promqltest's comparison: relative error below 1e-6, NaN equal to NaN.
    static func almostEqual(_ a: Double, _ b: Double) -> Bool {
        if a.isNaN && b.isNaN { return true }
        if a == b { return true }
        let minNormal = Double(bitPattern: 0x0010_0000_0000_0000)
        let absSum = abs(a) + abs(b)
        let difference = abs(a - b)
        if a == 0 || b == 0 || absSum < minNormal { return difference < 1e-6 * minNormal }
        return difference / min(absSum, .greatestFiniteMagnitude) < 1e-6
    }
}

extension Labels {
    var prometheusDescription: String {
        "{" + pairs.map { "\($0.name)=\"\($0.value)\"" }.joined(separator: ", ") + "}"
    }
}
