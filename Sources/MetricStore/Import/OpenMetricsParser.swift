#if canImport(Glibc)
import Glibc
#endif

/// A streaming parser for OpenMetrics 1.0 text with sample timestamps — the input
/// `promtool tsdb create-blocks-from openmetrics` accepts — working on bytes, because imports
/// are hundreds of megabytes and per-line Strings would dominate the cost.
///
/// Series are interned: a sample refers to its label set by index into `series`, and a
/// repeated `name{labels}` text is recognised from its bytes without parsing it again.
/// Exemplars are skipped; `# HELP`, `# UNIT` and `# TYPE` lines are checked for form only
/// (the store keeps no metadata). The input must end with `# EOF`.
public struct OpenMetricsParser {
    public struct Sample: Sendable, Equatable {
        public let series: Int
        /// Milliseconds; nil when the line carries no timestamp.
        public let timestamp: Int64?
        public let value: Double
    }

    public private(set) var series: [Labels] = []
    private var seriesByText: [SeriesText: Int] = [:]
    /// Each series' `name{labels}` text, and the series whose line came after it last time
    /// (-1: none yet). Files list a series' points one after another (its successor is
    /// itself) or cycle through a group of series (hosts, label values) at each timestamp, so
    /// the previous line's successor predicts most lines: recognised by one comparison,
    /// without hashing.
    private var texts: [SeriesText] = []
    private var successors: [Int] = []
    /// The previous sample's series, or -1.
    private var previous = -1
    private let bytes: [UInt8]
    private let file: String
    private var position = 0
    /// Where this parser stops: the input's end, or the end of its part.
    private let end: Int
    /// Whether the text ends here (so `# EOF` must come), or a later part follows.
    private let isLastPart: Bool
    private var lineNumber = 0
    private var lineStart = 0
    private(set) var sawEOF = false

    public init(bytes: [UInt8], file: String) {
        self.init(bytes: bytes, file: file, part: 0..<bytes.count, isLastPart: true)
    }

    /// A parser for the lines in `part`, which starts at a line's beginning and ends after a
    /// newline or at the input's end; line numbers in its errors count from the part's start,
    /// for the caller to offset.
    init(bytes: [UInt8], file: String, part: Range<Int>, isLastPart: Bool) {
        self.bytes = bytes
        self.file = file
        self.position = part.lowerBound
        self.end = part.upperBound
        self.isLastPart = isLastPart
    }

    /// The 1-based line of the sample `next()` returned last.
    public var currentLine: Int { lineNumber }

    /// The next sample, or nil at `# EOF`.
    public mutating func next() throws(OpenMetricsError) -> Sample? {
        while position < self.end {
            lineStart = position
            lineNumber += 1
            if sawEOF { throw error(at: position, "expected nothing after '# EOF'") }
            let end = lineEnd(from: position)
            // Every line ends with a newline, except that a final `# EOF` may stand without one.
            // (Parts end after a newline, so only the input's last line can reach `self.end`.)
            guard end < self.end || bytes[lineStart..<end].elementsEqual("# EOF".utf8) else {
                throw error(at: end, "expected a newline at the end of the line")
            }
            position = min(end + 1, self.end)
            if bytes[lineStart] == UInt8(ascii: "#") {
                try checkComment(lineStart, end)
                continue
            }
            if lineStart == end { throw error(at: lineStart, "expected a sample or a '#' line, found an empty line") }
            return try parseSample(lineStart, end)
        }
        if !sawEOF && isLastPart {
            lineNumber += 1
            lineStart = position
            throw error(at: position, "expected '# EOF' as the last line")
        }
        return nil
    }

    /// The index of the next newline at or after `start`, or the end of the part.
    private func lineEnd(from start: Int) -> Int {
        Self.lineEnd(from: start, before: end, in: bytes)
    }

    private static func lineEnd(from start: Int, before end: Int, in bytes: [UInt8]) -> Int {
        bytes.withUnsafeBufferPointer { buffer in
            guard start < end, let found = memchr(buffer.baseAddress! + start, 0x0A, end - start) else { return end }
            return buffer.baseAddress!.distance(to: found.assumingMemoryBound(to: UInt8.self))
        }
    }

    /// Where the line that contains `offset` ends, plus its newline (at most `range`'s end): a
    /// place to split the input into parts that begin with whole lines.
    static func lineBoundary(after offset: Int, in bytes: [UInt8], within range: Range<Int>) -> Int {
        min(lineEnd(from: offset, before: range.upperBound, in: bytes) + 1, range.upperBound)
    }

    /// Whether the line at `start` begins with `text` and a space: then it is that series,
    /// known without scanning its labels.
    private func starts(with text: SeriesText, at start: Int, _ end: Int) -> Bool {
        let earlier = text.bytes.startIndex
        let length = text.bytes.count
        return bytes.withUnsafeBufferPointer { buffer in
            guard start + length < end, buffer[start + length] == UInt8(ascii: " ") else { return false }
            return memcmp(buffer.baseAddress! + start, buffer.baseAddress! + earlier, length) == 0
        }
    }

    // MARK: Lines

    private mutating func checkComment(_ start: Int, _ end: Int) throws(OpenMetricsError) {
        let line = bytes[start..<end]
        if line.elementsEqual("# EOF".utf8) {
            sawEOF = true
            return
        }
        for keyword in ["# HELP ", "# TYPE ", "# UNIT "] where line.starts(with: keyword.utf8) {
            let nameStart = start + keyword.utf8.count
            let nameEnd = scanMetricName(from: nameStart, to: end)
            if nameEnd == nameStart { throw error(at: nameStart, "expected a metric family name") }
            if keyword == "# TYPE " {
                let type = String(decoding: bytes[min(nameEnd + 1, end)..<end], as: UTF8.self)
                let known = ["counter", "gauge", "histogram", "gaugehistogram", "stateset", "info", "summary", "unknown"]
                guard nameEnd < end, bytes[nameEnd] == UInt8(ascii: " "), known.contains(type) else {
                    throw error(at: nameEnd, "expected one of the OpenMetrics types (\(known.joined(separator: ", ")))")
                }
            }
            return
        }
        throw error(at: start, "expected '# HELP', '# TYPE', '# UNIT' or '# EOF'")
    }

    private mutating func parseSample(_ start: Int, _ end: Int) throws(OpenMetricsError) -> Sample {
        var cursor: Int
        let seriesIndex: Int
        let predicted = previous >= 0 ? successors[previous] : -1
        if predicted >= 0 && starts(with: texts[predicted], at: start, end) {
            cursor = start + texts[predicted].bytes.count
            seriesIndex = predicted
        } else {
            let nameEnd = scanMetricName(from: start, to: end)
            if nameEnd == start { throw error(at: start, "expected a metric name") }
            cursor = nameEnd
            if cursor < end && bytes[cursor] == UInt8(ascii: "{") {
                cursor = try skipLabels(from: cursor, to: end)
            }
            let key = SeriesText(bytes: bytes[start..<cursor])
            if let known = seriesByText[key] {
                seriesIndex = known
            } else {
                seriesIndex = series.count
                series.append(try parseLabels(name: start..<nameEnd, labels: nameEnd..<cursor))
                seriesByText[key] = seriesIndex
                texts.append(key)
                successors.append(-1)
            }
            if previous >= 0 { successors[previous] = seriesIndex }
        }
        previous = seriesIndex
        guard cursor < end, bytes[cursor] == UInt8(ascii: " ") else {
            throw error(at: cursor, "expected a space before the value")
        }
        cursor += 1
        let valueEnd = scanToken(from: cursor, to: end)
        guard let value = parseFloat(cursor..<valueEnd) else {
            throw error(at: cursor, "expected a number, NaN, +Inf or -Inf as the value")
        }
        cursor = valueEnd
        var timestamp: Int64?
        if cursor < end {
            cursor += 1  // the space
            let timestampEnd = scanToken(from: cursor, to: end)
            guard timestampEnd > cursor, let milliseconds = parseTimestamp(cursor..<timestampEnd) else {
                throw error(at: cursor, "expected a timestamp in seconds (up to millisecond precision)")
            }
            timestamp = milliseconds
            cursor = timestampEnd
            // An exemplar (` # {…} value [timestamp]`) may follow; it is not stored.
            if cursor < end && !bytes[cursor..<end].starts(with: " # ".utf8) {
                throw error(at: cursor, "expected the end of the line or an exemplar after the timestamp")
            }
        }
        return Sample(series: seriesIndex, timestamp: timestamp, value: value)
    }

    // MARK: Tokens

    private func isNameByte(_ byte: UInt8, first: Bool, colon: Bool) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "_"): true
        case UInt8(ascii: ":"): colon
        case UInt8(ascii: "0")...UInt8(ascii: "9"): !first
        default: false
        }
    }

    private func scanMetricName(from start: Int, to end: Int) -> Int {
        var index = start
        while index < end && isNameByte(bytes[index], first: index == start, colon: true) { index += 1 }
        return index
    }

    private func scanToken(from start: Int, to end: Int) -> Int {
        var index = start
        while index < end && bytes[index] != UInt8(ascii: " ") { index += 1 }
        return index
    }

    /// Skips `{…}` honouring quotes and escapes; returns the index after `}`.
    private func skipLabels(from start: Int, to end: Int) throws(OpenMetricsError) -> Int {
        var index = start + 1
        var quoted = false
        while index < end {
            let byte = bytes[index]
            if quoted {
                if byte == UInt8(ascii: "\\") { index += 1 } else if byte == UInt8(ascii: "\"") { quoted = false }
            } else if byte == UInt8(ascii: "\"") {
                quoted = true
            } else if byte == UInt8(ascii: "}") {
                return index + 1
            }
            index += 1
        }
        throw error(at: end, "expected '}' to close the label set")
    }

    /// `{name="value",…}` with OpenMetrics' escapes (`\\`, `\"`, `\n`).
    private func parseLabels(name: Range<Int>, labels range: Range<Int>) throws(OpenMetricsError) -> Labels {
        var pairs = [Label(Label.metricName, String(decoding: bytes[name], as: UTF8.self))]
        guard !range.isEmpty else { return Labels(pairs) }
        var index = range.lowerBound + 1
        let end = range.upperBound - 1  // the closing brace
        var seen: Set<String> = [Label.metricName]
        while index < end {
            let labelStart = index
            while index < end && isNameByte(bytes[index], first: index == labelStart, colon: false) { index += 1 }
            if index == labelStart { throw error(at: index, "expected a label name") }
            let labelName = String(decoding: bytes[labelStart..<index], as: UTF8.self)
            guard index + 1 < end, bytes[index] == UInt8(ascii: "="), bytes[index + 1] == UInt8(ascii: "\"") else {
                throw error(at: index, "expected '=\"' after the label name")
            }
            index += 2
            var value: [UInt8] = []
            while index < end && bytes[index] != UInt8(ascii: "\"") {
                if bytes[index] == UInt8(ascii: "\\") {
                    guard index + 1 < end else { break }
                    switch bytes[index + 1] {
                    case UInt8(ascii: "\\"): value.append(UInt8(ascii: "\\"))
                    case UInt8(ascii: "\""): value.append(UInt8(ascii: "\""))
                    case UInt8(ascii: "n"): value.append(UInt8(ascii: "\n"))
                    default: throw error(at: index, "expected \\\\, \\\" or \\n as an escape")
                    }
                    index += 2
                } else {
                    value.append(bytes[index])
                    index += 1
                }
            }
            guard index < end else { throw error(at: index, "expected '\"' to close the label value") }
            index += 1
            guard seen.insert(labelName).inserted else { throw error(at: labelStart, "label '\(labelName)' appears twice") }
            pairs.append(Label(labelName, String(decoding: value, as: UTF8.self)))
            if index < end {
                guard bytes[index] == UInt8(ascii: ",") else { throw error(at: index, "expected ',' or '}' after a label") }
                index += 1
            }
        }
        return Labels(pairs)
    }

    private func parseFloat(_ range: Range<Int>) -> Double? {
        guard !range.isEmpty, range.count < 64 else { return nil }
        if let exact = DecimalText.exactValue(bytes[range]) { return exact }
        let token = bytes[range]
        if token.elementsEqual("NaN".utf8) { return .nan }
        if token.elementsEqual("+Inf".utf8) || token.elementsEqual("Inf".utf8) { return .infinity }
        if token.elementsEqual("-Inf".utf8) { return -.infinity }
        // Only digits, sign, point and exponent: strtod would also accept hex and "inf".
        for byte in token {
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "."), UInt8(ascii: "-"), UInt8(ascii: "+"),
                UInt8(ascii: "e"), UInt8(ascii: "E"):
                continue
            default:
                return nil
            }
        }
        return withUnsafeTemporaryAllocation(of: CChar.self, capacity: range.count + 1) { buffer -> Double? in
            for (offset, byte) in token.enumerated() { buffer[offset] = CChar(bitPattern: byte) }
            buffer[range.count] = 0
            var endPointer: UnsafeMutablePointer<CChar>?
            let value = strtod(buffer.baseAddress!, &endPointer)
            return endPointer == buffer.baseAddress! + range.count ? value : nil
        }
    }

    /// Seconds with up to three decimals, converted to milliseconds without going through a
    /// float, so 1764380033.123 is exactly 1764380033123.
    private func parseTimestamp(_ range: Range<Int>) -> Int64? {
        var index = range.lowerBound
        var negative = false
        if bytes[index] == UInt8(ascii: "-") {
            negative = true
            index += 1
        }
        var seconds: Int64 = 0
        var digits = 0
        while index < range.upperBound, let digit = digitValue(bytes[index]) {
            let (product, overflow) = seconds.multipliedReportingOverflow(by: 10)
            guard !overflow, product <= Int64.max / 1000 - 10 else { return nil }
            seconds = product + digit
            digits += 1
            index += 1
        }
        guard digits > 0 else { return nil }
        var milliseconds: Int64 = 0
        if index < range.upperBound {
            guard bytes[index] == UInt8(ascii: ".") else { return nil }
            index += 1
            var places = 0
            while index < range.upperBound, let digit = digitValue(bytes[index]) {
                // Sub-millisecond digits must be zero: the store keeps milliseconds.
                if places >= 3 {
                    guard digit == 0 else { return nil }
                } else {
                    milliseconds = milliseconds * 10 + digit
                }
                places += 1
                index += 1
            }
            guard index == range.upperBound else { return nil }
            if places < 3 {
                for _ in places..<3 { milliseconds *= 10 }
            }
        }
        let total = seconds * 1000 + milliseconds
        return negative ? -total : total
    }

    private func digitValue(_ byte: UInt8) -> Int64? {
        byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") ? Int64(byte - UInt8(ascii: "0")) : nil
    }

    private func error(at offset: Int, _ message: String) -> OpenMetricsError {
        OpenMetricsError(file: file, line: max(lineNumber, 1), column: max(0, offset - lineStart) + 1, message)
    }
}

/// The `name{labels}` text of a sample line as a dictionary key, hashed and compared as one
/// block of bytes: the default `ArraySlice` hashing feeds the hasher a byte at a time, which
/// was a third of an import's time.
struct SeriesText: Hashable {
    let bytes: ArraySlice<UInt8>

    func hash(into hasher: inout Hasher) {
        bytes.withUnsafeBytes { hasher.combine(bytes: $0) }
    }

    static func == (lhs: SeriesText, rhs: SeriesText) -> Bool {
        guard lhs.bytes.count == rhs.bytes.count else { return false }
        return lhs.bytes.withUnsafeBytes { left in
            rhs.bytes.withUnsafeBytes { right in memcmp(left.baseAddress!, right.baseAddress!, left.count) == 0 }
        }
    }
}
