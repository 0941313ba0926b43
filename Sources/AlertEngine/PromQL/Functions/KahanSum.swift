/// Compensated (Kahan–Neumaier) summation, as Prometheus' `util/kahansum`: sums of many
/// samples or series (`sum`, `avg`, `sum_over_time`, regressions) keep the low-order bits a
/// plain running sum would lose.
enum KahanSum {
    /// Adds `inc` to `sum`, carrying the rounding error in `c`. The true sum is `sum + c`
    /// (see `value`). Once the sum overflows, the compensation is meaningless and is reset.
    @inline(__always)
    static func kahanSumInc(_ inc: Double, _ sum: Double, _ c: Double) -> (sum: Double, c: Double) {
        let t = sum + inc
        if t.isInfinite { return (t, 0) }
        // Neumaier's variant: the error is taken from whichever operand is smaller.
        if Swift.abs(sum) >= Swift.abs(inc) {
            return (t, c + ((sum - t) + inc))
        }
        return (t, c + ((inc - t) + sum))
    }

    /// Subtracts `dec` from `sum`, the mirror image of `kahanSumInc`.
    @inline(__always)
    static func kahanSumDec(_ dec: Double, _ sum: Double, _ c: Double) -> (sum: Double, c: Double) {
        let t = sum - dec
        if t.isInfinite { return (t, 0) }
        if Swift.abs(sum) >= Swift.abs(dec) {
            return (t, c + ((sum - t) - dec))
        }
        return (t, c + ((-dec - t) + sum))
    }

    /// In-place form of `kahanSumInc` for accumulation loops.
    @inline(__always)
    static func add(_ inc: Double, to sum: inout Double, compensation c: inout Double) {
        (sum, c) = kahanSumInc(inc, sum, c)
    }

    /// The compensated total. An infinite sum stays as it is: adding the compensation could
    /// only turn it into NaN.
    @inline(__always)
    static func value(_ sum: Double, _ c: Double) -> Double {
        sum.isInfinite ? sum : sum + c
    }
}
