import Dispatch

#if canImport(Glibc)
import Glibc
#endif

/// Parses an OpenMetrics text one window at a time (see `OpenMetricsWindows`), each window in
/// parts on several cores: the window is cut at line boundaries, each part is parsed on its
/// own, and the parts come back in file order, so every series keeps its samples in the
/// order the file gave them. `Progress` carries what a single pass would know between
/// windows: errors name the line in the whole file, the earliest error wins, and text after
/// `# EOF` is refused even when it comes in a later window.
enum OpenMetricsPartsParser {
    /// Below this a part is not worth a thread.
    static let minimumPartBytes = 8 << 20

    /// One part's series (interned by its own parser) and their samples, in file order.
    struct ParsedPart {
        var series: [Labels]
        var samples: [[Sample]]
        var lines: Int
        var sawEOF: Bool
    }

    /// How far the parse got: the lines of the windows before, and whether `# EOF` was among them.
    struct Progress {
        var lines = 0
        var sawEOF = false
    }

    /// Parses the whole lines in `window` of `bytes`; `isInputEnd` says whether the input ends
    /// there, so that `# EOF` must have come by then.
    static func parse(
        _ bytes: [UInt8], window: Range<Int>, isInputEnd: Bool, file: String, progress: inout Progress,
        parts wanted: Int = defaultParts, minimumPartBytes: Int = minimumPartBytes
    ) throws(ImportError) -> [ParsedPart] {
        if progress.sawEOF && !window.isEmpty { throw afterEOF(file: file, line: progress.lines + 1) }
        let partCount = max(1, min(wanted, window.count / max(minimumPartBytes, 1)))
        var bounds = [window.lowerBound]
        for index in 1..<max(partCount, 1) {
            let cut = window.lowerBound + window.count / partCount * index
            bounds.append(max(bounds.last!, OpenMetricsParser.lineBoundary(after: cut, in: bytes, within: window)))
        }
        bounds.append(window.upperBound)

        let results = UnsafeMutableBufferPointer<Result<ParsedPart, ImportError>?>.allocate(capacity: partCount)
        results.initialize(repeating: nil)
        defer {
            // Deinitialized too, or every window's samples would leak.
            _ = results.deinitialize()
            results.deallocate()
        }
        let shared = SendableResults(results)
        let partBounds = bounds
        DispatchQueue.concurrentPerform(iterations: partCount) { index in
            shared.buffer[index] = parsePart(bytes, file: file, partBounds[index]..<partBounds[index + 1])
        }

        var parts: [ParsedPart] = []
        parts.reserveCapacity(partCount)
        for index in 0..<partCount {
            let part: ParsedPart
            switch results[index]! {
            case .success(let parsed): part = parsed
            case .failure(let error): throw error.movedDown(by: progress.lines)
            }
            progress.lines += part.lines
            progress.sawEOF = progress.sawEOF || part.sawEOF
            if part.sawEOF && bounds[index + 1] < window.upperBound {
                throw afterEOF(file: file, line: progress.lines + 1)
            }
            parts.append(part)
        }
        if isInputEnd && !progress.sawEOF {
            throw .input(OpenMetricsError(file: file, line: progress.lines + 1, column: 1, "expected '# EOF' as the last line"))
        }
        return parts
    }

    static var defaultParts: Int { max(1, min(Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))), 4)) }

    private static func afterEOF(file: String, line: Int) -> ImportError {
        .input(OpenMetricsError(file: file, line: line, column: 1, "expected nothing after '# EOF'"))
    }

    /// `# EOF` is checked by `parse`, across parts and windows, so no part is the last one here.
    private static func parsePart(_ bytes: [UInt8], file: String, _ part: Range<Int>) -> Result<ParsedPart, ImportError> {
        var parser = OpenMetricsParser(bytes: bytes, file: file, part: part, isLastPart: false)
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
            return .input(error.shifted(byLines: lines))
        case .missingTimestamp(let file, let line):
            return .missingTimestamp(file: file, line: line + lines)
        case .store:
            return self
        }
    }
}
