import Dispatch

#if canImport(Glibc)
import Glibc
#endif

/// Parses a large OpenMetrics text in parts on several cores: the text is cut at line
/// boundaries, each part is parsed on its own, and the parts' series are joined by label set
/// in file order, so every series keeps its samples in the order the file gave them. Errors
/// name the line in the whole file; the earliest part's error wins, as a single pass would
/// have found it first.
enum OpenMetricsPartsParser {
    /// Below this a part is not worth a thread.
    static let minimumPartBytes = 8 << 20

    private struct ParsedPart {
        var series: [Labels]
        var samples: [[Sample]]
        var lines: Int
        var sawEOF: Bool
    }

    static func parse(_ bytes: [UInt8], file: String, parts wanted: Int = defaultParts) throws(ImportError) -> [(Labels, [Sample])] {
        let partCount = max(1, min(wanted, bytes.count / minimumPartBytes))
        var bounds = [0]
        for index in 1..<max(partCount, 1) {
            bounds.append(max(bounds.last!, OpenMetricsParser.lineBoundary(after: bytes.count / partCount * index, in: bytes)))
        }
        bounds.append(bytes.count)

        let results = UnsafeMutableBufferPointer<Result<ParsedPart, ImportError>?>.allocate(capacity: partCount)
        results.initialize(repeating: nil)
        defer { results.deallocate() }
        let shared = SendableResults(results)
        let partBounds = bounds
        DispatchQueue.concurrentPerform(iterations: partCount) { index in
            shared.buffer[index] = parsePart(bytes, file: file, partBounds[index]..<partBounds[index + 1], isLast: index == partCount - 1)
        }

        var linesBefore = 0
        var merged: [(Labels, [Sample])] = []
        var indexByLabels: [Labels: Int] = [:]
        for index in 0..<partCount {
            let part: ParsedPart
            switch results[index]! {
            case .success(let parsed): part = parsed
            case .failure(let error): throw error.movedDown(by: linesBefore)
            }
            for (labels, samples) in zip(part.series, part.samples) {
                if let known = indexByLabels[labels] {
                    merged[known].1.append(contentsOf: samples)
                } else {
                    indexByLabels[labels] = merged.count
                    merged.append((labels, samples))
                }
            }
            linesBefore += part.lines
            if part.sawEOF && index < partCount - 1 && bounds[index + 1] < bytes.count {
                throw .input(OpenMetricsError(file: file, line: linesBefore + 1, column: 1, "expected nothing after '# EOF'"))
            }
        }
        return merged
    }

    static var defaultParts: Int { max(1, min(Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))), 4)) }

    private static func parsePart(_ bytes: [UInt8], file: String, _ part: Range<Int>, isLast: Bool) -> Result<ParsedPart, ImportError> {
        var parser = OpenMetricsParser(bytes: bytes, file: file, part: part, isLastPart: isLast)
        var samplesBySeries: [[Sample]] = []
        do {
            while let sample = try parser.next() {
                guard let timestamp = sample.timestamp else {
                    return .failure(.missingTimestamp(file: file, line: parser.currentLine))
                }
                if sample.series == samplesBySeries.count { samplesBySeries.append([]) }
                samplesBySeries[sample.series].append(Sample(timestamp: timestamp, value: sample.value))
            }
        } catch {
            return .failure(.input(error))
        }
        return .success(ParsedPart(series: parser.series, samples: samplesBySeries, lines: parser.currentLine, sawEOF: parser.sawEOF))
    }
}

/// Each worker writes only its own slot, and the buffer outlives the workers.
private struct SendableResults<Element>: @unchecked Sendable {
    let buffer: UnsafeMutableBufferPointer<Element>
    init(_ buffer: UnsafeMutableBufferPointer<Element>) { self.buffer = buffer }
}

extension ImportError {
    /// The same error with its line counted from an earlier start.
    func movedDown(by lines: Int) -> ImportError {
        guard lines > 0 else { return self }
        switch self {
        case .input(let error):
            return .input(OpenMetricsError(file: error.file, line: error.line + lines, column: error.column, error.message))
        case .missingTimestamp(let file, let line):
            return .missingTimestamp(file: file, line: line + lines)
        case .store:
            return self
        }
    }
}
