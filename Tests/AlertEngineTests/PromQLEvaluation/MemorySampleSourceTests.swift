import AlertEngine
import MetricStore
import Testing

struct MemorySampleSourceTests {
    static let source: MemorySampleSource = {
        var source = MemorySampleSource()
        source.append(Labels(["__name__": "up", "job": "api"]), [Sample(timestamp: 10, value: 1), Sample(timestamp: 20, value: 2)])
        source.append(Labels(["__name__": "up", "job": "web", "zone": "a"]), [Sample(timestamp: 15, value: 3)])
        source.append(Labels(["__name__": "down"]), [Sample(timestamp: 30, value: 4)])
        return source
    }()

    static let selections: [(matchers: [String], minTime: Int64, maxTime: Int64, expected: [String])] = [
        (["__name__=up"], 0, 100, ["up{job=api}", "up{job=web,zone=a}"]),
        (["__name__=up", "job!=api"], 0, 100, ["up{job=web,zone=a}"]),
        (["__name__=~u.", "zone="], 0, 100, ["up{job=api}"]),
        (["job=~a.*|w.*"], 0, 100, ["up{job=api}", "up{job=web,zone=a}"]),
        (["__name__!~up"], 0, 100, ["down{}"]),
        (["__name__=up"], 16, 20, ["up{job=api}"]),
        (["__name__=up"], 21, 100, []),
    ]

    @Test(arguments: selections)
    func selectsByMatchersAndTime(_ entry: (matchers: [String], minTime: Int64, maxTime: Int64, expected: [String])) throws {
        let matchers = try entry.matchers.map { text -> LabelMatcher in
            for kind in [LabelMatcher.Kind.notRegex, .regex, .notEqual, .equal] {
                if let range = text.range(of: kind.rawValue) {
                    return try LabelMatcher(String(text[..<range.lowerBound]), kind, String(text[range.upperBound...]))
                }
            }
            throw PromQLScriptNotation.NotationError(description: text)
        }
        let selected = Self.source.select(matchers, minTime: entry.minTime, maxTime: entry.maxTime)
        let names = selected.map { series in
            (series.labels.metricName ?? "") + "{" + series.labels.pairs.filter { $0.name != "__name__" }
                .map { "\($0.name)=\($0.value)" }.joined(separator: ",") + "}"
        }
        #expect(names == entry.expected)
        for series in selected {
            #expect(series.samples.allSatisfy { $0.timestamp >= entry.minTime && $0.timestamp <= entry.maxTime })
        }
    }

    @Test func appendKeepsTimeOrderAndReplacesEqualTimestamps() {
        var source = MemorySampleSource()
        let labels = Labels(["__name__": "x"])
        source.append(labels, [Sample(timestamp: 30, value: 3), Sample(timestamp: 10, value: 1)])
        source.append(labels, timestamp: 20, value: 2)
        source.append(labels, timestamp: 10, value: 9)
        #expect(source.select([.equal("__name__", "x")], minTime: .min, maxTime: .max).first?.samples == [
            Sample(timestamp: 10, value: 9), Sample(timestamp: 20, value: 2), Sample(timestamp: 30, value: 3),
        ])
    }
}
