#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Go's `strconv.FormatFloat(value, verb, precision, 64)`.
///
/// With a precision, the digits come from C's `printf`, which rounds exactly as Go does and
/// lays out `%e`, `%f` and `%g` the same way. Without one (precision -1, "shortest"), the
/// digits come from Swift's shortest round-trip `description` and the layout follows Go:
/// `%g` switches to exponent form when the exponent is below -4 or at least 6 (`eprec = 6`
/// in Go's `ftoa.go`), so 1000000 prints as `1e+06` and 123456 as `123456`.
enum GoFloatFormat {
    /// `strconv.FormatFloat(v, 'f', -1, 64)`: how Prometheus writes sample values in its API,
    /// in `count_values` labels and in messages, never in exponent form.
    static func shortestFixed(_ value: Double) -> String {
        format(value, verb: "f", precision: -1)
    }

    /// `verb` is one of e, E, f, g, G, x, X.
    static func format(_ value: Double, verb: Character, precision: Int) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value < 0 ? "-Inf" : "+Inf" }
        if verb == "x" || verb == "X" { return hexadecimal(value, uppercase: verb == "X", precision: precision) }
        if precision >= 0 { return printf("%.*\(verb)", precision, value) }
        let decimal = ShortestDecimal(value)
        switch verb {
        case "e", "E":
            return decimal.exponentForm(precision: decimal.digits.count - 1, uppercase: verb == "E")
        case "f":
            return decimal.fixedForm(precision: max(decimal.digits.count - decimal.pointPosition, 0))
        default:
            let exponent = decimal.pointPosition - 1
            if !decimal.digits.isEmpty && (exponent < -4 || exponent >= 6) {
                return decimal.exponentForm(precision: decimal.digits.count - 1, uppercase: verb == "G")
            }
            return decimal.fixedForm(precision: max(decimal.digits.count - decimal.pointPosition, 0))
        }
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

/// A finite double as decimal digits `0.d1d2…dn × 10^pointPosition`, the shortest that
/// reads back as the same double. Zero has no digits.
private struct ShortestDecimal {
    let negative: Bool
    let digits: [Character]
    let pointPosition: Int

    init(_ value: Double) {
        var text = Substring(value.description)
        negative = text.first == "-"
        if negative { text = text.dropFirst() }
        var exponent = 0
        if let e = text.firstIndex(of: "e") {
            exponent = Int(text[text.index(after: e)...]) ?? 0
            text = text[..<e]
        }
        let integerPart = text.prefix { $0 != "." }
        let fractionPart = text.drop { $0 != "." }.dropFirst()
        var all = Array(integerPart) + Array(fractionPart)
        var point = integerPart.count + exponent
        while all.first == "0" {
            all.removeFirst()
            point -= 1
        }
        while all.last == "0" { all.removeLast() }
        digits = all
        pointPosition = all.isEmpty ? 0 : point
    }

    /// `-d.ddde±dd` with `precision` digits after the point.
    func exponentForm(precision: Int, uppercase: Bool) -> String {
        var text = negative ? "-" : ""
        text.append(digits.first ?? "0")
        if precision > 0 {
            text += "."
            for index in 1...precision { text.append(index < digits.count ? digits[index] : "0") }
        }
        let exponent = digits.isEmpty ? 0 : pointPosition - 1
        text += uppercase ? "E" : "e"
        text += exponent < 0 ? "-" : "+"
        let magnitude = String(abs(exponent))
        return text + (magnitude.count < 2 ? "0" : "") + magnitude
    }

    /// `-ddd.ddd` with `precision` digits after the point.
    func fixedForm(precision: Int) -> String {
        var text = negative ? "-" : ""
        if pointPosition > 0 {
            for index in 0..<pointPosition { text.append(index < digits.count ? digits[index] : "0") }
        } else {
            text += "0"
        }
        if precision > 0 {
            text += "."
            for index in 0..<precision {
                let digit = pointPosition + index
                text.append(digit >= 0 && digit < digits.count ? digits[digit] : "0")
            }
        }
        return text
    }
}
