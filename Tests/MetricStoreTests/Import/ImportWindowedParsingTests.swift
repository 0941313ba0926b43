import Testing

@testable import MetricStore

/// Parsing in windows and parts must see exactly what one pass of `OpenMetricsParser` sees:
/// the same series and samples, and for a bad input the same first error at the same line of
/// the whole file.
@Suite struct ImportWindowedParsingTests {
    private typealias Series = [(labels: Labels, samples: [Sample])]

    private func single(_ text: String) -> Result<Series, ImportError> {
        var parser = OpenMetricsParser(bytes: Array(text.utf8), file: "in.om")
        var samples: [[Sample]] = []
        do {
            while let sample = try parser.next() {
                guard let timestamp = sample.timestamp else { return .failure(.missingTimestamp(file: "in.om", line: parser.currentLine)) }
                if sample.series == samples.count { samples.append([]) }
                samples[sample.series].append(Sample(timestamp: timestamp, value: sample.value))
            }
        } catch {
            return .failure(.input(error))
        }
        return .success(zip(parser.series, samples).map { ($0, $1) })
    }

    /// Windows of `windowBytes`, each cut into up to `parts` parts; series joined in file order.
    private func windowed(_ text: String, windowBytes: Int, parts: Int) -> Result<Series, ImportError> {
        let windows = OpenMetricsWindows(bytes: Array(text.utf8), windowBytes: windowBytes)
        var progress = OpenMetricsPartsParser.Progress()
        var merged: Series = []
        var indexByLabels: [Labels: Int] = [:]
        do {
            while let window = try! windows.next() {
                let parsed = try OpenMetricsPartsParser.parse(
                    window.bytes, window: window.range, isInputEnd: window.isLast, file: "in.om", progress: &progress,
                    parts: parts, minimumPartBytes: 1)
                for part in parsed {
                    for (labels, samples) in zip(part.series, part.samples) {
                        if let index = indexByLabels[labels] {
                            merged[index].samples.append(contentsOf: samples)
                        } else {
                            indexByLabels[labels] = merged.count
                            merged.append((labels, samples))
                        }
                    }
                }
            }
        } catch {
            return .failure(error)
        }
        return .success(merged)
    }

    private func describe(_ result: Result<Series, ImportError>) -> String {
        switch result {
        case .success(let series): series.map { "\($0.labels) \($0.samples)" }.joined(separator: "\n")
        case .failure(let error): "error: \(error)"
        }
    }

    static let inputs = [
        // Interleaved series (as with many hosts), comments, a final EOF without a newline.
        "# TYPE a gauge\na{h=\"0\"} 1 1\na{h=\"1\"} 2 1\na{h=\"0\"} 3 2\na{h=\"1\"} 4 2\n# HELP b b.\nb 5 3\na{h=\"0\"} 6 4\n# EOF",
        "a 1 1\nb 2 2\na 3 3\n# EOF\n",
        "a 1 1\nb 2 2\na x 3\nb 4 4\n# EOF\n",
        "a 1 1\nb 2 2\na 3\nb 4 4\n# EOF\n",
        "a 1 1\nb 2 2\n# EOF\na 3 3\n",
        "a 1 1\nb 2 2\n# EOF\n# HELP a a.\n",
        "a 1 1\nb 2 2\na 3 3\n",
        "a 1 1\nb 2 2\n\n# EOF\n",
        "a 1 1\nb 2 2\nb 3 3",
        "",
        "# EOF\n",
    ]

    @Test(arguments: inputs)
    func everyWindowSizeAndPartCountAgreesWithOnePass(_ text: String) {
        let expected = describe(single(text))
        for windowBytes in 1...(text.utf8.count + 1) {
            for parts in 1...3 {
                #expect(describe(windowed(text, windowBytes: windowBytes, parts: parts)) == expected, "window \(windowBytes), parts \(parts)")
            }
        }
    }

    private static let fiftyLines = String(repeating: "a 1 1\n", count: 50)

    @Test func anErrorInTheSecondWindowNamesItsLineInTheFile() {
        let text = Self.fiftyLines + "a x 51\n# EOF\n"
        #expect(describe(windowed(text, windowBytes: 64, parts: 1)) == "error: in.om:51:3: expected a number, NaN, +Inf or -Inf as the value")
        let missing = Self.fiftyLines + "a 1\n# EOF\n"
        #expect(describe(windowed(missing, windowBytes: 64, parts: 2)).hasPrefix("error: in.om:51: expected a timestamp on every sample"))
        #expect(describe(windowed(Self.fiftyLines, windowBytes: 64, parts: 2)) == "error: in.om:51:1: expected '# EOF' as the last line")
    }

    @Test func textAfterEOFInALaterWindowIsRefused() {
        // The first window ends right after `# EOF`; the next one must not bring more lines.
        let text = Self.fiftyLines + "# EOF\n" + "a 2 2\n"
        let firstWindow = Self.fiftyLines.utf8.count + 6
        for windowBytes in [firstWindow, firstWindow + 1, 6, 64] {
            #expect(
                describe(windowed(text, windowBytes: windowBytes, parts: 2)) == "error: in.om:52:1: expected nothing after '# EOF'",
                "window \(windowBytes)")
        }
    }
}
