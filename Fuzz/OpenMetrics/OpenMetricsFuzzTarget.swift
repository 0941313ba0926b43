@testable import MetricStore

/// The OpenMetrics text `scalewatch import openmetrics` reads. Each input is parsed twice:
/// whole, and cut into windows of a few bytes that the parts parser splits further, as a
/// large import is; both must accept the same samples or both refuse the input.
struct OpenMetricsFuzzTarget: FuzzTarget {
    let name = "OpenMetrics"

    func run(_ bytes: [UInt8]) {
        let whole = parseWhole(bytes)
        // A window size from the input's length, not from its bytes, so that the text the
        // fuzzer mutates is all OpenMetrics.
        let windowed = parseInWindows(bytes, windowBytes: 1 + bytes.count % 61)
        switch (whole, windowed) {
        case (.success(let a), .success(let b)):
            guard a == b else {
                fatalError("the windowed parse found \(b.count) samples, the whole parse \(a.count)")
            }
        case (.failure, .failure):
            break
        case (.success, .failure(let error)):
            fatalError("only the windowed parse failed: \(error)")
        case (.failure(let error), .success):
            fatalError("only the whole parse failed: \(error)")
        }
    }

    /// Each series' samples in file order, values as bits (NaN payloads included).
    typealias Parsed = [Labels: [Point]]

    struct Point: Equatable {
        let timestamp: Int64
        let valueBits: UInt64
    }

    private func parseWhole(_ bytes: [UInt8]) -> Result<Parsed, OpenMetricsError> {
        var parser = OpenMetricsParser(bytes: bytes, file: "fuzz.om")
        var samples: Parsed = [:]
        do {
            while let sample = try parser.next() {
                // An import refuses a sample without a timestamp; so does the windowed parse.
                guard let timestamp = sample.timestamp else {
                    return .failure(OpenMetricsError(file: "fuzz.om", line: parser.currentLine, column: 1, "no timestamp"))
                }
                samples[parser.series[sample.series], default: []].append(Point(timestamp: timestamp, valueBits: sample.value.bitPattern))
            }
            return .success(samples)
        } catch {
            return .failure(error)
        }
    }

    private func parseInWindows(_ bytes: [UInt8], windowBytes: Int) -> Result<Parsed, ImportError> {
        let windows = OpenMetricsWindows(bytes: bytes, windowBytes: windowBytes)
        var progress = OpenMetricsPartsParser.Progress()
        var samples: Parsed = [:]
        do {
            while let window = try windows.next() {
                let parts = try OpenMetricsPartsParser.parse(
                    window.bytes, window: window.range, isInputEnd: window.isLast, file: "fuzz.om", progress: &progress,
                    parts: 3, minimumPartBytes: 1)
                for part in parts {
                    for (series, labels) in part.series.enumerated() {
                        samples[labels, default: []] += part.samples[series].map {
                            Point(timestamp: $0.timestamp, valueBits: $0.value.bitPattern)
                        }
                    }
                }
            }
            return .success(samples)
        } catch let error as ImportError {
            return .failure(error)
        } catch {
            return .failure(.input(OpenMetricsError(file: "fuzz.om", line: 0, column: 0, "\(error)")))
        }
    }
}
