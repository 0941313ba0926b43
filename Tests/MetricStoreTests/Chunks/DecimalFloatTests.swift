import Testing

@testable import MetricStore
import TestSupport

struct DecimalFloatTests {
    @Test(arguments: [
        (0.0, 0, 0), (1, 1, 0), (-42, -42, 0), (9_007_199_254_740_992, 9_007_199_254_740_992, 0),
        (0.5, 5, -1), (-2.25, -225, -2), (3.3369e-05, 33369, -9), (0.1, 1, -1),
        (76.761357, 76_761_357, -6),
        // Shortest decimal of 16 digits, found although value × 10^14 rounds to its neighbour.
        (76.48634799999999, 7_648_634_799_999_999, -14),
        (1e20, 1, 20), (1.5e300, nil, nil) as (Double, Int64?, Int?),
    ] as [(Double, Int64?, Int?)])
    func conversion(value: Double, mantissa: Int64?, exponent: Int?) {
        let decimal = DecimalFloat.from(value)
        #expect(decimal?.mantissa == mantissa && decimal?.exponent == exponent, "\(value)")
        if let decimal {
            #expect(DecimalFloat.toDouble(mantissa: decimal.mantissa, exponent: decimal.exponent).bitPattern == value.bitPattern)
        }
    }

    @Test(arguments: [
        -0.0, .nan, .infinity, -.infinity, StaleMarker.value, 0.30000000000000004,
        51.164421000000004, 1795916033.2801187, .leastNonzeroMagnitude, 1e-30, 18_446_744_073_709_551_616,
    ])
    func valuesWithoutAnExactShortDecimalAreRefused(value: Double) {
        #expect(DecimalFloat.from(value) == nil, "\(value)")
    }

    @Test func everyConversionIsExact() {
        // Whatever `from` returns must map back to the same bits: random doubles, random
        // short decimals, and the noise of float arithmetic.
        var random = SplitMix64(seed: 5)
        for _ in 0..<50_000 {
            let value: Double
            switch Int.random(in: 0..<3, using: &random) {
            case 0: value = Double(bitPattern: random.next())
            case 1: value = Double(Int64.random(in: -1_000_000_000...1_000_000_000, using: &random)) / DecimalFloat.powersOfTen[Int.random(in: 0...12, using: &random)]
            default: value = Double.random(in: 0...1000, using: &random) * 0.001
            }
            if let decimal = DecimalFloat.from(value) {
                #expect(DecimalFloat.toDouble(mantissa: decimal.mantissa, exponent: decimal.exponent).bitPattern == value.bitPattern, "\(value)")
            }
        }
    }

    @Test func powersOfTenAreExact() {
        for (exponent, power) in DecimalFloat.powersOfTen.enumerated() {
            #expect(power == Double("1e\(exponent)")!)
        }
    }
}
