import Foundation

/// What a chart's values measure, guessed from the metric names in its expression the way a
/// person reads them: `_bytes` is a size, `rate(…_bytes_total)` a throughput, `_seconds` a
/// duration, `rate(…_seconds_total)` a share of time, `_ratio` (or one name over another of
/// the same kind) a fraction, `rate(…_total)` events per second.
enum ChartUnit: String, Sendable, CaseIterable {
    case bytes
    case bytesPerSecond
    case seconds
    case ratio
    case perSecond
    case count
    case plain

    /// The unit of `expression`'s first metric name with a known suffix. Names are found by
    /// their shape, not by parsing, so that the guess also works for text PromQL refuses.
    static func guess(_ expression: String) -> ChartUnit {
        let names = identifiers(in: expression).compactMap { name in Suffix.allCases.first { name.hasSuffix($0.rawValue) } }
        guard let first = names.first else { return .plain }
        let rated = expression.contains("rate(") || expression.contains("deriv(")
        // `a_bytes / b_bytes`, `rate(x_total) / rate(y_total)`: the units cancel.
        if expression.contains("/"), names.count >= 2, names[1] == first {
            return .ratio
        }
        switch first {
        case .bytesTotal: return rated ? .bytesPerSecond : .bytes
        case .secondsTotal: return rated ? .ratio : .seconds
        case .bytes: return .bytes
        case .seconds: return .seconds
        case .ratio: return .ratio
        case .total: return rated ? .perSecond : .count
        }
    }

    /// Longest first: `_bytes_total` before `_total`.
    private enum Suffix: String, CaseIterable {
        case bytesTotal = "_bytes_total"
        case secondsTotal = "_seconds_total"
        case bytes = "_bytes"
        case seconds = "_seconds"
        case ratio = "_ratio"
        case total = "_total"
    }

    private static func identifiers(in text: String) -> [Substring] {
        var found: [Substring] = []
        var index = text.startIndex
        while index < text.endIndex {
            let character = text[index]
            if character == "\"" || character == "'" || character == "`" {
                // Skip string literals: a label value is no metric name.
                var end = text.index(after: index)
                while end < text.endIndex && text[end] != character {
                    if text[end] == "\\" { end = text.index(after: end) }
                    if end < text.endIndex { end = text.index(after: end) }
                }
                index = end < text.endIndex ? text.index(after: end) : end
            } else if character.isLetter || character == "_" || character == ":" {
                var end = index
                while end < text.endIndex && (text[end].isLetter || text[end].isNumber || text[end] == "_" || text[end] == ":") {
                    end = text.index(after: end)
                }
                found.append(text[index..<end])
                index = end
            } else {
                index = text.index(after: index)
            }
        }
        return found
    }

    /// The divisor and suffix that show values up to `magnitude` in readable numbers
    /// (`1.5 GiB`, `250 ms`, `42%`, `3.2k/s`).
    func scale(for magnitude: Double) -> (divisor: Double, suffix: String) {
        let magnitude = magnitude.isFinite ? abs(magnitude) : 0
        switch self {
        case .bytes, .bytesPerSecond:
            let names = ["B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"]
            var index = 0
            while index < names.count - 1 && magnitude >= pow(1024, Double(index + 1)) { index += 1 }
            return (pow(1024, Double(index)), " " + names[index] + (self == .bytesPerSecond ? "/s" : ""))
        case .seconds:
            if magnitude == 0 || magnitude >= 7200 { return magnitude >= 7200 ? (3600, " h") : (1, " s") }
            if magnitude >= 120 { return (60, " min") }
            if magnitude >= 1 { return (1, " s") }
            if magnitude >= 1e-3 { return (1e-3, " ms") }
            if magnitude >= 1e-6 { return (1e-6, " µs") }
            return (1e-9, " ns")
        case .ratio:
            return (0.01, "%")
        case .perSecond, .count, .plain:
            let names = ["", "k", "M", "G", "T", "P", "E"]
            var index = 0
            while index < names.count - 1 && magnitude >= pow(1000, Double(index + 1)) { index += 1 }
            if magnitude > 0 && magnitude < 1e-3 { return (1, self == .perSecond ? "/s" : "") }
            return (pow(1000, Double(index)), names[index] + (self == .perSecond ? "/s" : ""))
        }
    }

    /// One value for a person: three significant digits in its own scale.
    func format(_ value: Double) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value > 0 ? "+Inf" : "-Inf" }
        let (divisor, suffix) = scale(for: value)
        let scaled = value / divisor
        // Two significant digits for what is barely above zero ("0.00092%"), not an exponent
        // unless it is tinier still.
        if scaled != 0 && abs(scaled) < 0.01 { return String(format: "%.2g", scaled) + suffix }
        let decimals = abs(scaled) >= 100 ? 0 : abs(scaled) >= 10 ? 1 : 2
        return Self.trimmed(String(format: "%.\(decimals)f", scaled)) + suffix
    }

    /// A tick label: as many decimals as the step between ticks needs, in a scale chosen for
    /// the whole axis so that all of its labels share a suffix.
    func tickLabel(_ value: Double, step: Double, scale: (divisor: Double, suffix: String)) -> String {
        let scaledStep = step / scale.divisor
        let decimals = scaledStep > 0 ? min(6, max(0, Int(-floor(log10(scaledStep) + 1e-9)))) : 0
        var text = String(format: "%.\(decimals)f", value / scale.divisor)
        if text.hasPrefix("-") && text.dropFirst().allSatisfy({ $0 == "0" || $0 == "." }) { text.removeFirst() }
        return text + scale.suffix
    }

    private static func trimmed(_ text: String) -> String {
        guard text.contains(".") else { return text == "-0" ? "0" : text }
        var text = Substring(text)
        while text.hasSuffix("0") { text = text.dropLast() }
        if text.hasSuffix(".") { text = text.dropLast() }
        return text == "-0" ? "0" : String(text)
    }
}
