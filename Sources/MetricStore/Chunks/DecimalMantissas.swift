// Part of the compact chunk's value section (docs/format/chunks.md, "Compact chunk").

/// A chunk's values as decimal mantissas sharing one exponent, with the indexes of the values
/// that have no exact such form (exceptions). An exception's mantissa is its nearest decimal
/// at that exponent, so a counter computed with float noise keeps its steady differences; a
/// value with none (NaN, ±Inf, beyond 2^53) repeats the previous mantissa (the next one for
/// leading exceptions), a zero difference.
struct DecimalMantissas {
    private(set) var mantissas: [Int64]
    private(set) var exponent: Int
    private(set) var exceptions: [Int] = []

    private static let int64PowersOfTen: [Int64] = (0...18).map { exponent in
        (0..<exponent).reduce(1) { product, _ in product * 10 }
    }

    /// Nil when no value is decimal.
    init?(_ samples: UnsafeBufferPointer<Sample>) {
        var converted = [(mantissa: Int64, exponent: Int)?](repeating: nil, count: samples.count)
        var lastBits: UInt64? = nil
        var last: (mantissa: Int64, exponent: Int)? = nil
        // Values per exponent, -22...22 at index exponent + 22.
        var exponentCounts = [Int](repeating: 0, count: 2 * DecimalFloat.maxExponent + 1)
        for (index, sample) in samples.enumerated() {
            // Repeated values are the common case; convert each distinct run once.
            if sample.value.bitPattern != lastBits {
                lastBits = sample.value.bitPattern
                last = DecimalFloat.from(sample.value)
            }
            converted[index] = last
            if let last { exponentCounts[last.exponent + DecimalFloat.maxExponent] += 1 }
        }
        guard let exponent = Self.bestExponent(exponentCounts, converted) else { return nil }
        self.exponent = exponent
        mantissas = [Int64](repeating: 0, count: samples.count)
        var previous: Int64? = nil
        for index in samples.indices {
            let mantissa: Int64?
            if let decimal = converted[index], let scaled = Self.scale(decimal, to: exponent) {
                mantissa = scaled
            } else {
                exceptions.append(index)
                mantissa = Self.nearest(samples[index].value, exponent: exponent)
            }
            if let mantissa {
                if previous == nil {
                    for leading in 0..<index { mantissas[leading] = mantissa }
                }
                mantissas[index] = mantissa
                previous = mantissa
            } else if let previous {
                mantissas[index] = previous
            }
        }
        guard exceptions.count < samples.count else { return nil }
    }

    /// The mantissa at `exponent` nearest to `value`, if within ±2^53.
    private static func nearest(_ value: Double, exponent: Int) -> Int64? {
        guard value.isFinite else { return nil }
        let scaled = exponent >= 0
            ? (value / DecimalFloat.powersOfTen[exponent]).rounded()
            : (value * DecimalFloat.powersOfTen[-exponent]).rounded()
        guard scaled.magnitude <= 9_007_199_254_740_992.0 else { return nil }
        return Int64(scaled)
    }

    /// The shared exponent that leaves the fewest exceptions (the larger one on a tie, for
    /// smaller mantissas). Not simply the smallest exponent: one value with 16 decimals
    /// (76.48634799999999) would push every other mantissa of the chunk past 2^53.
    private static func bestExponent(
        _ counts: [Int], _ converted: [(mantissa: Int64, exponent: Int)?]
    ) -> Int? {
        var best: (exponent: Int, represented: Int)? = nil
        for (slot, count) in counts.enumerated().reversed() where count > 0 {
            let exponent = slot - DecimalFloat.maxExponent
            // Values with fewer decimals are scaled up, and may leave the exact range.
            let represented = converted.reduce(0) { total, decimal in
                guard let decimal, decimal.exponent >= exponent, scale(decimal, to: exponent) != nil else { return total }
                return total + 1
            }
            if represented > best?.represented ?? 0 { best = (exponent, represented) }
        }
        return best?.exponent
    }

    /// The mantissa for `exponent`, if it stays within ±2^53 (where decoding is exact).
    private static func scale(_ decimal: (mantissa: Int64, exponent: Int), to exponent: Int) -> Int64? {
        let shift = decimal.exponent - exponent
        guard shift >= 0, shift < int64PowersOfTen.count else { return nil }
        let (scaled, overflow) = decimal.mantissa.multipliedReportingOverflow(by: int64PowersOfTen[shift])
        guard !overflow, SafeInteger.contains(scaled) else { return nil }
        return scaled
    }
}
