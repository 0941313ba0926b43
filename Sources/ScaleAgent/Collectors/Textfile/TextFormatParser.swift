import MetricStore

/// Prometheus' text exposition format 0.0.4, as cron jobs write it for the textfile collector:
///
/// ```
/// # HELP backup_last_success_timestamp_seconds When the nightly backup last succeeded.
/// # TYPE backup_last_success_timestamp_seconds gauge
/// backup_last_success_timestamp_seconds{db="main"} 1.7e9
/// ```
///
/// MetricStore's OpenMetrics parser is not used: it checks `# EOF`, OpenMetrics' type names and
/// counter suffixes, and keeps no HELP or TYPE, all of which differ here or are needed here.
/// Timestamps are refused, as node_exporter refuses them in text files: a sample's time is
/// the collection's.
struct TextFormatParser {
    struct Family: Equatable {
        var name: String
        var help: String?
        var type: DeclaredType
        var samples: [Sample]
    }

    struct Sample: Equatable {
        /// The sample's own name: the family's, or with `_bucket`, `_sum`, `_count` for
        /// histograms and summaries.
        var name: String
        var labels: [Label]
        var value: Double
    }

    enum DeclaredType: String, Equatable {
        case counter, gauge, histogram, summary, untyped
    }

    /// The families of `text` in first-seen order. Every malformed line is an error naming
    /// `file` and the line.
    static func parse(_ text: String, file: String) throws(ParseError) -> [Family] {
        var families: [Family] = []
        var indexByName: [String: Int] = [:]
        var seenSeries: Set<String> = []
        func family(_ name: String) -> Int {
            if let index = indexByName[name] { return index }
            indexByName[name] = families.count
            families.append(Family(name: name, help: nil, type: .untyped, samples: []))
            return families.count - 1
        }
        for (offset, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = offset + 1
            let content = rawLine.drop(while: { $0 == " " || $0 == "\t" })
            if content.isEmpty { continue }
            if content.first == "#" {
                let words = content.dropFirst().split(separator: " ", maxSplits: 2, omittingEmptySubsequences: true)
                guard words.count >= 2, words[0] == "HELP" || words[0] == "TYPE" else { continue }  // a plain comment
                let name = String(words[1])
                guard isMetricName(name) else { throw ParseError(file: file, line: line, "invalid metric name '\(name)'") }
                let rest = words.count > 2 ? String(words[2]) : ""
                let index = family(name)
                if words[0] == "HELP" {
                    guard families[index].help == nil else { throw ParseError(file: file, line: line, "second HELP line for \(name)") }
                    families[index].help = unescapeHelp(rest)
                } else {
                    guard families[index].samples.isEmpty else {
                        throw ParseError(file: file, line: line, "TYPE line for \(name) after its samples")
                    }
                    guard let type = DeclaredType(rawValue: rest.trimmingSpaces()) else {
                        throw ParseError(
                            file: file, line: line, "unknown type '\(rest)' for \(name): expected counter, gauge, histogram, summary or untyped")
                    }
                    families[index].type = type
                }
                continue
            }
            var cursor = Cursor(text: content, file: file, line: line)
            let sample = try cursor.sample()
            let key = sample.name + "{" + sample.labels.sorted().map { "\($0.name)=\($0.value)" }.joined(separator: ",") + "}"
            guard seenSeries.insert(key).inserted else {
                throw ParseError(file: file, line: line, "second sample for the series \(key)")
            }
            families[family(familyName(of: sample.name, declared: indexByName, families))].samples.append(sample)
        }
        return families
    }

    /// A histogram's or summary's `_bucket`, `_sum` and `_count` samples belong to the family
    /// declared under the base name.
    private static func familyName(of sample: String, declared: [String: Int], _ families: [Family]) -> String {
        for suffix in ["_bucket", "_sum", "_count"] where sample.hasSuffix(suffix) {
            let base = String(sample.dropLast(suffix.count))
            if let index = declared[base], families[index].type == .histogram || families[index].type == .summary {
                return base
            }
        }
        return sample
    }

    static func isMetricName(_ name: some StringProtocol) -> Bool {
        guard let first = name.unicodeScalars.first, first.isNameStart || first == ":" else { return false }
        return name.unicodeScalars.allSatisfy { $0.isNameStart || $0 == ":" || ("0"..."9").contains($0) }
    }

    private static func unescapeHelp(_ text: String) -> String {
        var result = ""
        var escaped = false
        for character in text {
            if escaped {
                result.append(character == "n" ? "\n" : character)
                escaped = false
            } else if character == "\\" {
                escaped = true
            } else {
                result.append(character)
            }
        }
        return escaped ? result + "\\" : result
    }

    /// Reads one sample line left to right; every error names what was expected.
    private struct Cursor {
        let text: Substring
        let file: String
        let line: Int
        var index: Substring.Index

        init(text: Substring, file: String, line: Int) {
            self.text = text
            self.file = file
            self.line = line
            self.index = text.startIndex
        }

        mutating func sample() throws(ParseError) -> Sample {
            let name = take(while: { $0.isNameStart || $0 == ":" || ("0"..."9").contains($0) })
            guard TextFormatParser.isMetricName(name) else {
                throw failure("expected a metric name, found '\(text.prefix(40))'")
            }
            var labels: [Label] = []
            if peek == "{" {
                advance()
                labels = try labelSet()
            }
            skipSpaces()
            let valueText = take(while: { $0 != " " && $0 != "\t" })
            guard let value = Self.number(valueText) else {
                throw failure("expected a value after \(name), found '\(valueText.prefix(40))'")
            }
            skipSpaces()
            if index != text.endIndex {
                let rest = text[index...].trimmingSpaces()
                if Int64(rest) != nil {
                    throw failure("a timestamp is not supported in text files (the collection's time is used)")
                }
                throw failure("unexpected text after the value: '\(rest.prefix(40))'")
            }
            return Sample(name: String(name), labels: labels, value: value)
        }

        private mutating func labelSet() throws(ParseError) -> [Label] {
            var labels: [Label] = []
            var names: Set<String> = []
            while true {
                skipSpaces()
                if peek == "}" {
                    advance()
                    return labels
                }
                let name = String(take(while: { $0.isNameStart || ("0"..."9").contains($0) }))
                guard let first = name.unicodeScalars.first, first.isNameStart else {
                    throw failure("expected a label name or '}', found '\(text[index...].prefix(20))'")
                }
                guard names.insert(name).inserted else { throw failure("label \(name) repeated") }
                skipSpaces()
                guard peek == "=" else { throw failure("expected '=' after label \(name)") }
                advance()
                skipSpaces()
                guard peek == "\"" else { throw failure("expected '\"' to open the value of label \(name)") }
                advance()
                labels.append(Label(name, try quoted(name)))
                skipSpaces()
                if peek == "," {
                    advance()
                } else if peek != "}" {
                    throw failure("expected ',' or '}' after the value of label \(name)")
                }
            }
        }

        /// A label value after its opening quote: `\\`, `\"` and `\n` are escapes.
        private mutating func quoted(_ label: String) throws(ParseError) -> String {
            var value = ""
            while let character = peek {
                advance()
                switch character {
                case "\"": return value
                case "\\":
                    guard let escaped = peek else { break }
                    advance()
                    switch escaped {
                    case "n": value.append("\n")
                    case "\\", "\"": value.append(escaped)
                    default: throw failure("unknown escape '\\\(escaped)' in the value of label \(label)")
                    }
                default: value.append(character)
                }
            }
            throw failure("unterminated value of label \(label)")
        }

        private static func number(_ text: Substring) -> Double? {
            switch text {
            case "NaN": return .nan
            case "+Inf", "Inf": return .infinity
            case "-Inf": return -.infinity
            default:
                // Double("inf") and Double("nan") would accept spellings the format does not.
                guard let first = text.first, first.isNumber || first == "-" || first == "+" || first == "." else { return nil }
                return Double(text)
            }
        }

        private var peek: Character? { index < text.endIndex ? text[index] : nil }
        private mutating func advance() { index = text.index(after: index) }
        private mutating func skipSpaces() {
            while let character = peek, character == " " || character == "\t" { advance() }
        }
        private mutating func take(while predicate: (Unicode.Scalar) -> Bool) -> Substring {
            let start = index
            while let character = peek, let scalar = character.unicodeScalars.first,
                character.unicodeScalars.count == 1, predicate(scalar)
            {
                advance()
            }
            return text[start..<index]
        }
        private func failure(_ message: String) -> ParseError { ParseError(file: file, line: line, message) }
    }
}

extension Unicode.Scalar {
    fileprivate var isNameStart: Bool { ("a"..."z").contains(self) || ("A"..."Z").contains(self) || self == "_" }
}

extension StringProtocol {
    fileprivate func trimmingSpaces() -> String {
        String(drop(while: { $0 == " " || $0 == "\t" || $0 == "\r" }).reversed().drop(while: { $0 == " " || $0 == "\t" || $0 == "\r" }).reversed())
    }
}
