import Foundation

/// A chart's vertical axis: bounds that start and end on a tick, ticks at 1, 2 or 5 times a
/// power of ten in the unit's scale (so that `GiB` ticks are whole GiB, not multiples of 10⁹
/// bytes), and their labels.
struct ValueAxis: Equatable {
    var low: Double
    var high: Double
    var ticks: [Double]
    var labels: [String]

    /// The axis for values between `minimum` and `maximum` (non-finite values are the caller's
    /// to leave out), with about `targetTicks` ticks.
    init(minimum: Double, maximum: Double, unit: ChartUnit, targetTicks: Int) {
        var low = minimum.isFinite ? minimum : 0
        var high = maximum.isFinite ? maximum : 1
        if low > high { (low, high) = (high, low) }
        if low == high {
            let pad = low == 0 ? 1 : abs(low) * 0.1
            (low, high) = (low - pad, high + pad)
        }
        // A floor close to zero, relative to the spread, reads better as zero.
        if low > 0 && low < high - low { low = 0 }
        let scale = unit.scale(for: max(abs(low), abs(high)))
        let raw = (high - low) / scale.divisor / Double(max(1, targetTicks))
        let magnitude = pow(10, floor(log10(raw)))
        let residual = raw / magnitude
        let nice: Double = residual <= 1 ? 1 : residual <= 2 ? 2 : residual <= 5 ? 5 : 10
        let step = nice * magnitude * scale.divisor
        guard step.isFinite && step > 0 else {
            self.init(low: low, high: high, ticks: [low, high], labels: [unit.format(low), unit.format(high)])
            return
        }
        let first = (low / step).rounded(.down)
        let last = (high / step).rounded(.up)
        let count = Int(min(50, max(1, last - first)))
        let ticks = (0...count).map { (first + Double($0)) * step }
        self.init(
            low: ticks[0], high: ticks[ticks.count - 1], ticks: ticks,
            labels: ticks.map { unit.tickLabel($0, step: step, scale: scale) })
    }

    init(low: Double, high: Double, ticks: [Double], labels: [String]) {
        self.low = low
        self.high = high
        self.ticks = ticks
        self.labels = labels
    }
}
