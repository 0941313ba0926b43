/// The φ-quantile of a set of values, shared by the `quantile` aggregation and
/// `quantile_over_time` (Prometheus' `quantile` in promql/quantile.go).
enum Quantile {
    /// Sorts `values` (NaN first, as Prometheus orders them) and interpolates linearly between
    /// the two nearest ranks. NaN for no values or a NaN `q`; -Inf for q < 0 and +Inf for q > 1.
    static func quantile(_ q: Double, _ values: inout [Double]) -> Double {
        if values.isEmpty || q.isNaN { return .nan }
        if q < 0 { return -.infinity }
        if q > 1 { return .infinity }
        values.sort { lhs, rhs in lhs.isNaN ? !rhs.isNaN : lhs < rhs }

        let n = Double(values.count)
        let rank = q * (n - 1)
        let lowerIndex = Swift.max(0, rank.rounded(.down))
        let upperIndex = Swift.min(n - 1, lowerIndex + 1)
        let weight = rank - rank.rounded(.down)
        // Written as Prometheus does, so that an infinite neighbour with zero weight gives
        // NaN there too.
        return values[Int(lowerIndex)] * (1 - weight) + values[Int(upperIndex)] * weight
    }
}
