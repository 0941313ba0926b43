import MetricStore

/// promtool's expanding notation for the `values` of an input series: one sample per
/// interval, items separated by spaces.
///
/// | item    | expands to                                         |
/// |---------|----------------------------------------------------|
/// | `a`     | the number a (also `Inf`, `-Inf`, `NaN`, `1e3`)    |
/// | `_`     | no sample at this step                             |
/// | `_xn`   | n steps without a sample                           |
/// | `stale` | a staleness marker                                 |
/// | `axn`   | a, n+1 times                                       |
/// | `a+bxn` | a, a+b, a+2b, … a+nb (n+1 values)                  |
/// | `a-bxn` | a, a-b, a-2b, … a-nb (n+1 values)                  |
///
/// `axn` gives n+1 values but `_xn` only n: that is how Prometheus' grammar defines them
/// (the extra value is the one at time 0). The rules follow Prometheus' series lexer:
/// whole numbers with a leading 0 are octal (`010` is 8), hexadecimal is refused because
/// `x` already means repetition, and `Inf`/`NaN` are words, so they cannot take `xn`.
public enum SeriesNotation {
    /// The default bound on one series' expansion, so a typo such as `0+1x1000000000` is an
    /// error rather than gigabytes: a year of samples every 5 seconds fits.
    public static let maximumValues = 10_000_000

    /// Go's NaN (`math.NaN()`), which Prometheus stores for `NaN`; the store compares bit
    /// patterns, so ours must be the same.
    static let goNaN = Double(bitPattern: 0x7FF8_0000_0000_0001)

    /// The samples, one per step; nil is a step without a sample, `StaleMarker.value` a
    /// staleness marker.
    public static func expand(_ text: String, maximumValues: Int = maximumValues) throws(SeriesNotationError) -> [Double?] {
        var scanner = ScalarScanner(text)
        var expansion = Expansion(limit: maximumValues)
        scanner.skipSpaces()
        while !scanner.isAtEnd {
            try expandItem(&scanner, into: &expansion)
            guard scanner.isAtEnd || ScalarScanner.isSpace(scanner.current!) else {
                throw scanner.error("unexpected \(scanner.currentDescription) in series values, expected a space before the next value")
            }
            scanner.skipSpaces()
        }
        return expansion.values
    }

    /// The values so far and the bound on their number.
    private struct Expansion {
        let limit: Int
        var values: [Double?] = []

        mutating func append(_ value: Double?, count: Int, itemAt offset: Int) throws(SeriesNotationError) {
            try ensureRoom(for: count, itemAt: offset)
            values.append(contentsOf: repeatElement(value, count: count))
        }

        func ensureRoom(for count: Int, itemAt offset: Int) throws(SeriesNotationError) {
            guard count <= limit - values.count else {
                throw SeriesNotationError(offset: offset, "the series expands to more than \(limit) values")
            }
        }
    }

    private static func expandItem(_ scanner: inout ScalarScanner, into expansion: inout Expansion) throws(SeriesNotationError) {
        let start = scanner.position
        if scanner.take("_") != nil {
            if scanner.take("x") != nil {
                try expansion.append(nil, count: try repetitionCount(&scanner), itemAt: start)
            } else if scanner.current == "+" || scanner.current == "-" {
                throw scanner.error("'_' has no value to increment; '_xn' gives n steps without a sample")
            } else {
                try expansion.append(nil, count: 1, itemAt: start)
            }
            return
        }
        if let current = scanner.current, ScalarScanner.isLetter(current) {
            let word = scanner.take(while: ScalarScanner.isWordPart)
            if word == "stale" {
                if scanner.current == "+" || scanner.current == "-" {
                    throw scanner.error("'stale' stands alone: it cannot be incremented or repeated")
                }
                try expansion.append(StaleMarker.value, count: 1, itemAt: start)
                return
            }
            scanner.position = start
        }
        let first = try signedNumber(&scanner)
        if scanner.take("x") != nil {
            try expansion.append(first, count: try repetitionCount(&scanner) + 1, itemAt: start)
            return
        }
        guard scanner.current == "+" || scanner.current == "-" else {
            try expansion.append(first, count: 1, itemAt: start)
            return
        }
        let step = try signedNumber(&scanner)
        guard scanner.take("x") != nil else {
            throw scanner.error("expected 'x' and a repetition count after the increment, as in 1+2x3")
        }
        let count = try repetitionCount(&scanner) + 1
        try expansion.ensureRoom(for: count, itemAt: start)
        // Added step by step, not a + i*b: the same rounding as Prometheus, to the bit.
        var value = first
        for _ in 0..<count {
            expansion.values.append(value)
            value += step
        }
    }

    /// `[+-]` and a number, or the word `Inf` or `NaN` in any case.
    private static func signedNumber(_ scanner: inout ScalarScanner) throws(SeriesNotationError) -> Double {
        let sign = scanner.take("+-")
        let start = scanner.position
        guard let current = scanner.current else {
            throw scanner.error("expected a number after '\(Character(sign ?? "+"))'")
        }
        let magnitude: Double
        if ScalarScanner.isLetter(current) {
            let word = scanner.take(while: ScalarScanner.isWordPart)
            switch word.lowercased() {
            case "inf": magnitude = .infinity
            case "nan": magnitude = goNaN
            default:
                let expected = sign == nil ? "a number, '_' or 'stale'" : "a number"
                throw scanner.error("unexpected \"\(word)\" in series values, expected \(expected)", at: start)
            }
        } else if ScalarScanner.isDigit(current) || (current == "." && scanner.peek().map(ScalarScanner.isDigit) == true) {
            let text = numberText(&scanner)
            // A number runs into the next space; only `x` (repetition) may follow directly.
            if let next = scanner.current, next != "x", ScalarScanner.isWordPart(next) {
                let rest = scanner.take(while: ScalarScanner.isWordPart)
                throw scanner.error("bad number \"\(text + rest)\"", at: start)
            }
            guard let value = goNumber(text) else { throw scanner.error("bad number \"\(text)\"", at: start) }
            magnitude = value
        } else {
            let expected = sign == nil ? "a number, '_' or 'stale'" : "a number"
            throw scanner.error("unexpected \(scanner.currentDescription) in series values, expected \(expected)")
        }
        return sign == "-" ? -magnitude : magnitude
    }

    /// Digits, an optional fraction and an optional exponent, as PromQL's lexer scans them.
    private static func numberText(_ scanner: inout ScalarScanner) -> String {
        var text = scanner.take(while: ScalarScanner.isDigit)
        if scanner.take(".") != nil { text += "." + scanner.take(while: ScalarScanner.isDigit) }
        if let e = scanner.take("eE") {
            text.unicodeScalars.append(e)
            if let sign = scanner.take("+-") { text.unicodeScalars.append(sign) }
            text += scanner.take(while: ScalarScanner.isDigit)
        }
        return text
    }

    /// Go's reading of a PromQL number: an integer with base prefix first (so a leading 0
    /// means octal), a decimal float otherwise; out of range is an error, not infinity.
    static func goNumber(_ text: String) -> Double? {
        if text.unicodeScalars.allSatisfy(ScalarScanner.isDigit) {
            let octal = text.count > 1 && text.hasPrefix("0")
            if let integer = octal ? Int64(text.dropFirst(), radix: 8) : Int64(text) { return Double(integer) }
        }
        guard let value = Double(text), value.isFinite else { return nil }
        return value
    }

    private static func repetitionCount(_ scanner: inout ScalarScanner) throws(SeriesNotationError) -> Int {
        let start = scanner.position
        guard let current = scanner.current, ScalarScanner.isDigit(current) || current == "." else {
            throw scanner.error("expected a repetition count after 'x', as in 1x3")
        }
        let text = numberText(&scanner) + scanner.take(while: ScalarScanner.isWordPart)
        // Bounded so that the count plus one cannot overflow; the expansion refuses it anyway.
        guard let count = Int(text) else {
            throw scanner.error("bad repetition count \"\(text)\", expected a whole number", at: start)
        }
        return min(count, Int.max - 1)
    }
}
