/// Doubles as decimal mantissa × 10^exponent, the way VictoriaMetrics stores floats, but exact:
/// a value is converted only if converting back gives the very same bit pattern.
///
/// Why converting back is exact: with |mantissa| ≤ 2^53 and |exponent| ≤ 22 both
/// `Double(mantissa)` and 10^|exponent| are exact doubles, and IEEE multiplication and division
/// round correctly, so `toDouble` returns the double nearest to the decimal — the same double
/// for every (mantissa, exponent) naming the same rational. A value whose shortest decimal
/// needs more than 53 bits of mantissa (computed noise like 0.30000000000000004) is not
/// converted; the compact encoding stores such values raw.
enum DecimalFloat {
    static let maxExponent = 22

    /// 10^0 ... 10^22, all exact doubles.
    static let powersOfTen: [Double] = (0...22).map { exponent in
        (0..<exponent).reduce(1.0) { product, _ in product * 10 }
    }

    /// The shortest (mantissa, exponent) with value == mantissa × 10^exponent exactly, or nil
    /// for values that have none within the limits: NaN, ±Inf, -0 and values needing more than
    /// 53 bits of decimal mantissa.
    static func from(_ value: Double) -> (mantissa: Int64, exponent: Int)? {
        if let integer = SafeInteger.of(value) { return (integer, 0) }
        guard value.isFinite, value != 0 else { return nil }
        let limit = 9_007_199_254_740_992.0
        if value.magnitude < limit {
            // Fewest decimals first: the smallest k with value × 10^k an integer that maps back.
            for decimals in 1...maxExponent {
                let power = powersOfTen[decimals]
                let scaled = (value * power).rounded()
                if scaled.magnitude > limit { return nil }
                if scaled / power == value { return (Int64(scaled), -decimals) }
                // value × 10^k is itself rounded, and near 2^53 it can land on the integer
                // next to the right mantissa (76.48634799999999 × 10^14 does): try both.
                if (scaled - 1) / power == value { return (Int64(scaled - 1), -decimals) }
                if (scaled + 1).magnitude <= limit && (scaled + 1) / power == value {
                    return (Int64(scaled + 1), -decimals)
                }
            }
            return nil
        }
        // A large integer beyond 2^53: trailing decimal zeros make it fit, or nothing does.
        // Most zeros first, for the smallest mantissa.
        for zeros in (1...maxExponent).reversed() {
            let power = powersOfTen[zeros]
            let scaled = (value / power).rounded()
            if scaled != 0 && scaled.magnitude <= limit && scaled * power == value { return (Int64(scaled), zeros) }
        }
        return nil
    }

    /// mantissa × 10^exponent, correctly rounded; exponent in -22...22.
    @inline(__always)
    static func toDouble(mantissa: Int64, exponent: Int) -> Double {
        exponent >= 0
            ? Double(mantissa) * powersOfTen[exponent]
            : Double(mantissa) / powersOfTen[-exponent]
    }
}
