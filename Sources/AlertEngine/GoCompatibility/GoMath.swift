/// The parts of Go's `math` package whose results differ from the C library's or Swift's,
/// so that `ln`, `log2`, `log10` and `clamp` give Prometheus' answers to the last bit (as
/// Prometheus computes them on amd64; arm64 builds of Go fuse multiply-adds and may differ
/// in the last bit themselves).
enum GoMath {
    /// Go's `math.Log`, the FreeBSD `e_log.c` algorithm (also what Go's amd64 assembly
    /// computes). The C library's `log` is correctly rounded more often, which is exactly why
    /// it cannot be used here.
    static func log(_ x: Double) -> Double {
        if x.isNaN || x == .infinity { return x }
        if x < 0 { return .nan }
        if x == 0 { return -.infinity }

        var (f1, ki) = frexp(x)
        if f1 < squareRootOfTwo / 2 {
            f1 *= 2
            ki -= 1
        }
        let f = f1 - 1
        let k = Double(ki)

        let s = f / (2 + f)
        let s2 = s * s
        let s4 = s2 * s2
        let t1 = s2 * (l1 + s4 * (l3 + s4 * (l5 + s4 * l7)))
        let t2 = s4 * (l2 + s4 * (l4 + s4 * l6))
        let r = t1 + t2
        let hfsq = 0.5 * f * f
        return k * ln2Hi - ((hfsq - (s * (hfsq + r) + k * ln2Lo)) - f)
    }

    /// Go's `math.Log2`: exact for powers of two, otherwise ln of the mantissa scaled, so
    /// log2(10) is 3.321928094887362.
    static func log2(_ x: Double) -> Double {
        let (fraction, exponent) = frexp(x)
        if fraction == 0.5 { return Double(exponent - 1) }
        return log(fraction) * log2E + Double(exponent)
    }

    /// Go's `math.Log10`: ln scaled by 1/ln(10).
    static func log10(_ x: Double) -> Double {
        log(x) * log10E
    }

    /// Go's `math.Frexp`: x = fraction × 2^exponent with |fraction| in [0.5, 1); zero,
    /// infinities and NaN come back as they are with exponent 0. (Foundation's `frexp` on
    /// Linux drops the sign of the fraction.)
    static func frexp(_ x: Double) -> (fraction: Double, exponent: Int) {
        guard x.isFinite, x != 0 else { return (x, 0) }
        let fraction = x.significand / 2
        return (x.sign == .minus ? -fraction : fraction, Int(x.exponent) + 1)
    }

    /// Go's `math.Max`: +Inf wins over NaN, NaN over everything else, +0 over -0.
    static func max(_ x: Double, _ y: Double) -> Double {
        if x == .infinity || y == .infinity { return .infinity }
        if x.isNaN || y.isNaN { return .nan }
        if x == 0, x == y { return x.sign == .minus ? y : x }
        return x > y ? x : y
    }

    /// Go's `math.Min`: -Inf wins over NaN, NaN over everything else, -0 over +0.
    static func min(_ x: Double, _ y: Double) -> Double {
        if x == -.infinity || y == -.infinity { return -.infinity }
        if x.isNaN || y.isNaN { return .nan }
        if x == 0, x == y { return x.sign == .minus ? x : y }
        return x < y ? x : y
    }

    /// 1/ln(2) and 1/ln(10) rounded once from their exact values, as Go's constants are.
    private static let log2E = 1.44269504088896340735992468100189214
    private static let log10E = 0.43429448190325182765112891891660508

    private static let squareRootOfTwo = 1.41421356237309504880168872420969808
    private static let ln2Hi = 6.93147180369123816490e-01
    private static let ln2Lo = 1.90821492927058770002e-10
    private static let l1 = 6.666666666666735130e-01
    private static let l2 = 3.999999999940941908e-01
    private static let l3 = 2.857142874366239149e-01
    private static let l4 = 2.222219843214978396e-01
    private static let l5 = 1.818357216161805012e-01
    private static let l6 = 1.531383769920937332e-01
    private static let l7 = 1.479819860511658591e-01
}
