#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import MetricStore

/// Go's `strconv.FormatFloat(value, verb, precision, 64)`.
///
/// With a precision, the digits come from C's `printf`, which rounds exactly as Go does and
/// lays out `%e`, `%f` and `%g` the same way. Without one (precision -1, "shortest"), it is
/// `PrometheusFloat.shortest`, the formatter the exposition and export use too.
enum GoFloatFormat {
    /// `strconv.FormatFloat(v, 'f', -1, 64)`: how Prometheus writes sample values in its API,
    /// in `count_values` labels and in messages, never in exponent form.
    static func shortestFixed(_ value: Double) -> String {
        PrometheusFloat.fixed(value)
    }

    /// `verb` is one of e, E, f, g, G, x, X.
    static func format(_ value: Double, verb: Character, precision: Int) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value < 0 ? "-Inf" : "+Inf" }
        if verb == "x" || verb == "X" { return hexadecimal(value, uppercase: verb == "X", precision: precision) }
        if precision >= 0 { return printf("%.*\(verb)", precision, value) }
        return PrometheusFloat.shortest(value, verb: verb)
    }

    /// Go writes at least two exponent digits (`0x1.8p+01`), C one.
    private static func hexadecimal(_ value: Double, uppercase: Bool, precision: Int) -> String {
        let text = printf(uppercase ? "%.*A" : "%.*a", precision, value)
        guard let p = text.lastIndex(where: { $0 == "p" || $0 == "P" }) else { return text }
        let sign = text[text.index(after: p)]
        let digits = text[text.index(p, offsetBy: 2)...]
        return text[...p] + String(sign) + (digits.count < 2 ? "0" : "") + digits
    }

    private static func printf(_ format: String, _ precision: Int, _ value: Double) -> String {
        var capacity = 64
        while true {
            var buffer = [CChar](repeating: 0, count: capacity)
            let written = withVaList([Int32(clamping: precision), value]) { arguments in
                vsnprintf(&buffer, capacity, format, arguments)
            }
            if written < capacity { return String(decoding: buffer[0..<Int(max(written, 0))].map { UInt8(bitPattern: $0) }, as: UTF8.self) }
            capacity = Int(written) + 1
        }
    }
}
