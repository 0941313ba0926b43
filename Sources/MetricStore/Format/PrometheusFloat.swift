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

    /// An integral value whose magnitude is below `limit` (at most 2^53, where doubles stop
    /// being exact integers) as Go writes it; nil for anything else, -0 included.
    private static func smallInteger(_ value: Double, below limit: Double) -> String? {
        guard value == value.rounded(.towardZero), abs(value) < limit, value != 0 || value.sign == .plus else { return nil }
        return String(Int64(value))
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
