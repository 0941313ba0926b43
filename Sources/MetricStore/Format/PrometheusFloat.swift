/// Numbers as Prometheus writes them: Go's `strconv.FormatFloat(v, verb, -1, 64)`, the
/// shortest digits that read back as the same double, laid out as Go lays them out, with
/// the specials spelled `NaN`, `+Inf` and `-Inf`. The one formatter of sample values in
/// `/metrics`, in exports, in query results and in PromQL's text.
///
/// The digits come from Swift's shortest round-trip `description`; the layout follows Go's
/// `ftoa.go`: `%g` switches to exponent form when the exponent is below -4 or at least 6
/// (`eprec = 6` for the shortest form), so 1000000 prints as `1e+06` and 123456 as `123456`.
public enum PrometheusFloat {
    /// `'g'`: how the exposition formats (client_golang's `writeFloat`) and OpenMetrics
    /// exports write sample values: `1`, `0.25`, `1.5e+09`, `1e-05`.
    public static func general(_ value: Double) -> String {
        // Most values of /proc and the store are small integers: the same text, sooner.
        if let integer = smallInteger(value, below: 1e6) { return integer }
        return shortest(value, verb: "g")
    }

    /// `'f'`: how Prometheus' API and PromQL write values, never in exponent form:
    /// `1500000000`, `0.00001`.
    public static func fixed(_ value: Double) -> String {
        if let integer = smallInteger(value, below: 9_007_199_254_740_992) { return integer }
        return shortest(value, verb: "f")
    }

    /// `general(value)`'s bytes appended to `out`, without the intermediate strings: the
    /// exposition writes every sample this way.
    public static func appendGeneral(_ value: Double, to out: inout [UInt8]) {
        if isSmallInteger(value, below: 1e6) { return appendInteger(Int64(value), to: &out) }
        // Byte and tick counters: integers from 1e6, which Go writes in exponent form.
        if isSmallInteger(value, below: 9_007_199_254_740_992) { return appendIntegerExponentForm(Int64(value), to: &out) }
        // Swift's shortest text is already Go's %g layout where Go keeps the fixed form
        // (decimal exponent from -4 to 5) and the value has a fraction.
        if value.isFinite, abs(value) < 1e6, appendPlainDescription(value, to: &out) { return }
        out.append(contentsOf: shortest(value, verb: "g").utf8)
    }

    /// `fixed(value)`'s bytes appended to `out`: the query API writes every value this way.
    public static func appendFixed(_ value: Double, to out: inout [UInt8]) {
        if isSmallInteger(value, below: 9_007_199_254_740_992) { return appendInteger(Int64(value), to: &out) }
        if value.isFinite, appendPlainDescription(value, to: &out) { return }
        out.append(contentsOf: shortest(value, verb: "f").utf8)
    }

    /// Decimal digits of `value`, as `String(value)` writes them.
    public static func appendInteger(_ value: Int64, to out: inout [UInt8]) {
        if value < 0 { out.append(UInt8(ascii: "-")) }
        var magnitude = value.magnitude
        var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)  // 24 bytes: UInt64.max has 20 digits
        withUnsafeMutableBytes(of: &digits) { buffer in
            var index = buffer.count
            repeat {
                index -= 1
                buffer[index] = UInt8(ascii: "0") &+ UInt8(magnitude % 10)
                magnitude /= 10
            } while magnitude > 0
            out.append(contentsOf: buffer[index...])
        }
    }

    /// `%e` of an integer below 2^53 in magnitude, as Go's shortest `%g` writes one from 1e6:
    /// `1.6624349184e+10`. Below 2^53 every integer is a double of its own, so the shortest
    /// digits that read back are the integer's own, less its trailing zeros.
    private static func appendIntegerExponentForm(_ value: Int64, to out: inout [UInt8]) {
        if value < 0 { out.append(UInt8(ascii: "-")) }
        var magnitude = value.magnitude
        var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)  // 24 bytes: 2^53 has 16 digits
        withUnsafeMutableBytes(of: &digits) { buffer in
            var index = buffer.count
            var exponent = -1
            var significant = false
            repeat {
                let digit = UInt8(magnitude % 10)
                magnitude /= 10
                exponent += 1
                if digit != 0 || significant {
                    significant = true
                    index -= 1
                    buffer[index] = UInt8(ascii: "0") &+ digit
                }
            } while magnitude > 0
            out.append(buffer[index])
            if index + 1 < buffer.count {
                out.append(UInt8(ascii: "."))
                out.append(contentsOf: buffer[(index + 1)...])
            }
            out.append(contentsOf: "e+".utf8)
            if exponent < 10 { out.append(UInt8(ascii: "0")) }
            appendInteger(Int64(exponent), to: &out)
        }
    }

    /// Appends Swift's shortest round-trip text of a non-integral `value` when it has no
    /// exponent (then it is also Go's fixed layout); false, appending nothing, otherwise.
    private static func appendPlainDescription(_ value: Double, to out: inout [UInt8]) -> Bool {
        guard value != value.rounded(.towardZero) else { return false }
        var description = value.description
        return description.withUTF8 { utf8 in
            guard !utf8.contains(UInt8(ascii: "e")) else { return false }
            out.append(contentsOf: utf8)
            return true
        }
    }

    private static func isSmallInteger(_ value: Double, below limit: Double) -> Bool {
        value == value.rounded(.towardZero) && abs(value) < limit && (value != 0 || value.sign == .plus)
    }

    /// An integral value whose magnitude is below `limit` (at most 2^53, where doubles stop
    /// being exact integers) as Go writes it; nil for anything else, -0 included.
    private static func smallInteger(_ value: Double, below limit: Double) -> String? {
        isSmallInteger(value, below: limit) ? String(Int64(value)) : nil
    }

    /// `verb` is one of e, E, f, g, G.
    public static func shortest(_ value: Double, verb: Character) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value < 0 ? "-Inf" : "+Inf" }
        let decimal = ShortestDecimal(value)
        switch verb {
        case "e", "E":
            return decimal.exponentForm(precision: decimal.digits.count - 1, uppercase: verb == "E")
        case "f":
            return decimal.fixedForm(precision: max(decimal.digits.count - decimal.pointPosition, 0))
        case "g", "G":
            let exponent = decimal.pointPosition - 1
            if !decimal.digits.isEmpty && (exponent < -4 || exponent >= 6) {
                return decimal.exponentForm(precision: decimal.digits.count - 1, uppercase: verb == "G")
            }
            return decimal.fixedForm(precision: max(decimal.digits.count - decimal.pointPosition, 0))
        default:
            preconditionFailure("BUG: no shortest form for the verb \(verb)")
        }
    }
}
