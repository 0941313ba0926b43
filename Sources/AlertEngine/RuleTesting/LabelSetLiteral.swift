import MetricStore

/// The series notation of rule test files, `name{label="value", …}`, for an input series'
/// `series` and an expected sample's `labels`. Only `=` is allowed: this names one series,
/// it does not select. Also accepted: `{__name__="name"}`, a trailing comma, quoted names
/// (`{"name.with.dots", "label.x"="v"}`), and the empty string for the empty label set.
public enum LabelSetLiteral {
    public static func parse(_ text: String) throws(SeriesNotationError) -> Labels {
        var scanner = ScalarScanner(text)
        var pairs: [Label] = []
        var offsets: [String: Int] = [:]
        func add(_ name: String, _ value: String, at offset: Int) throws(SeriesNotationError) {
            guard offsets[name] == nil else {
                let what = name == Label.metricName ? "the metric name" : "label \"\(name)\""
                throw SeriesNotationError(offset: offset, "\(what) is set twice")
            }
            offsets[name] = offset
            pairs.append(Label(name, value))
        }

        scanner.skipSpaces()
        var sawName = false
        var sawBraces = false
        if let current = scanner.current, ScalarScanner.isLetter(current) || current == ":" {
            let start = scanner.position
            try add(Label.metricName, scanner.take { ScalarScanner.isWordPart($0) || $0 == ":" }, at: start)
            sawName = true
            scanner.skipSpaces()
        }
        if scanner.take("{") != nil {
            try readLabels(&scanner, add)
            sawBraces = true
            scanner.skipSpaces()
        }
        guard scanner.isAtEnd else {
            let expected = sawBraces ? "the end" : sawName ? "'{' or the end" : "a metric name or '{'"
            throw scanner.error("unexpected \(scanner.currentDescription) in series, expected \(expected)")
        }
        return Labels(pairs)
    }

    private static func readLabels(
        _ scanner: inout ScalarScanner, _ add: (String, String, Int) throws(SeriesNotationError) -> Void
    ) throws(SeriesNotationError) {
        while true {
            scanner.skipSpaces()
            if scanner.take("}") != nil { return }
            let nameStart = scanner.position
            let name: String
            let quoted: Bool
            if scanner.current == "\"" || scanner.current == "'" || scanner.current == "`" {
                name = try QuotedString.read(&scanner)
                quoted = true
                guard !name.isEmpty else { throw scanner.error("a label name must not be empty", at: nameStart) }
            } else if let current = scanner.current, ScalarScanner.isLetter(current) {
                name = scanner.take(while: ScalarScanner.isWordPart)
                quoted = false
            } else {
                throw scanner.error("unexpected \(scanner.currentDescription) in label set, expected a label name or '}'")
            }
            scanner.skipSpaces()
            if scanner.take("=") != nil {
                if scanner.current == "~" {
                    throw scanner.error(
                        "unexpected '=~' in label set: a series has exact labels, only '=' is allowed", at: scanner.position - 1)
                }
                scanner.skipSpaces()
                guard scanner.current == "\"" || scanner.current == "'" || scanner.current == "`" else {
                    throw scanner.error("expected a quoted label value after '=', got \(scanner.currentDescription)")
                }
                try add(name, try QuotedString.read(&scanner), nameStart)
            } else if quoted && (scanner.current == "," || scanner.current == "}") {
                // A lone quoted name is the metric name (Prometheus 3's UTF-8 names).
                try add(Label.metricName, name, nameStart)
            } else if scanner.current == "!" {
                let matchOperator = scanner.peek() == "~" ? "!~" : "!="
                throw scanner.error("unexpected '\(matchOperator)' in label set: a series has exact labels, only '=' is allowed")
            } else {
                throw scanner.error("unexpected \(scanner.currentDescription) in label set, expected '=' after label \"\(name)\"")
            }
            scanner.skipSpaces()
            if scanner.take(",") != nil { continue }
            if scanner.take("}") != nil { return }
            throw scanner.error("unexpected \(scanner.currentDescription) in label set, expected ',' or '}'")
        }
    }
}
