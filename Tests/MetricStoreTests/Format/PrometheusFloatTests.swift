import Foundation
import MetricStore
import TestSupport
import Testing

/// Golden values: what Go's `strconv.FormatFloat(v, verb, -1, 64)` prints, which is what
/// Prometheus, client_golang and node_exporter write.
struct PrometheusFloatTests {
    @Test(arguments: [
        (0.0, "0"), (-0.0, "-0"), (1.0, "1"), (-3.0, "-3"), (0.1, "0.1"), (0.1 + 0.2, "0.30000000000000004"),
        (100_000.0, "100000"), (999_999.0, "999999"), (1e6, "1e+06"), (1_234_567.0, "1.234567e+06"), (123_456.7, "123456.7"),
        (0.0001, "0.0001"), (0.00001, "1e-05"), (1.25e-7, "1.25e-07"), (16_624_349_184.0, "1.6624349184e+10"),
        (9_007_199_254_740_992.0, "9.007199254740992e+15"), (1e21, "1e+21"), (1.5e300, "1.5e+300"),
        (5e-324, "5e-324"), (Double.greatestFiniteMagnitude, "1.7976931348623157e+308"),
        (Double.nan, "NaN"), (Double.infinity, "+Inf"), (-Double.infinity, "-Inf"),
    ])
    func general(value: Double, expected: String) {
        #expect(PrometheusFloat.general(value) == expected)
        #expect(PrometheusFloat.shortest(value, verb: "g") == expected)
        // Shortest round trip: the text reads back as the same double.
        if value.isFinite { #expect(Double(expected) == value) }
    }

    @Test(arguments: [
        (0.0, "0"), (-0.0, "-0"), (1.5, "1.5"), (-2.0, "-2"), (1e6, "1000000"), (1_500_000_000.0, "1500000000"),
        (0.00001, "0.00001"), (1e21, "1000000000000000000000"), (9_007_199_254_740_993.0, "9007199254740992"),
        (1.7e-10, "0.00000000017"), (Double.nan, "NaN"), (Double.infinity, "+Inf"), (-Double.infinity, "-Inf"),
    ])
    func fixed(value: Double, expected: String) {
        #expect(PrometheusFloat.fixed(value) == expected)
    }

    @Test(arguments: [(1.0, "e", "1e+00"), (1234.5, "e", "1.2345e+03"), (0.00025, "E", "2.5E-04"), (1e-7, "G", "1E-07"), (0.0, "e", "0e+00")])
    func exponentForms(value: Double, verb: Character, expected: String) {
        #expect(PrometheusFloat.shortest(value, verb: verb) == expected)
    }

    /// The byte writers take shortcuts (integers, Swift's own text where it is Go's layout);
    /// they must write exactly what the general formatter does, for every kind of double.
    @Test func byteWritersMatchTheFormatter() {
        var generator = SplitMix64(seed: 0x5CA1E)
        var values: [Double] = [0, -0.0, 1, -1, 0.5, 1e-4, 9.99e-5, 1e-5, 123456.5, 999_999.5, 1e6 + 0.5, 1e15 + 0.25,
                                9_007_199_254_740_991, 9_007_199_254_740_992, 1e21, -1e-300, .nan, .infinity, -.infinity,
                                .leastNonzeroMagnitude, .greatestFiniteMagnitude, 0.1 + 0.2,
                                // Integers in exponent form: trailing zeros, one digit, negative, 2^53 - 1.
                                1e6, 10_000_000, 16_624_349_184, -1_234_567, -9_007_199_254_740_991, 1_000_000_000_000_001]
        for _ in 0..<20_000 {
            values.append(Double(bitPattern: generator.next()))
            // Values of the sizes metrics have, integral and not, around every power of ten.
            let exponent = Double(Int(generator.next() % 40) - 20)
            let mantissa = Double(generator.next() % 1_000_000) / 1000
            values.append(mantissa * pow(10, exponent))
            values.append((mantissa * pow(10, exponent)).rounded())
        }
        for value in values {
            var general: [UInt8] = [], fixed: [UInt8] = []
            PrometheusFloat.appendGeneral(value, to: &general)
            PrometheusFloat.appendFixed(value, to: &fixed)
            #expect(String(decoding: general, as: UTF8.self) == PrometheusFloat.shortest(value, verb: "g"), "\(value.bitPattern)")
            #expect(String(decoding: fixed, as: UTF8.self) == PrometheusFloat.shortest(value, verb: "f"), "\(value.bitPattern)")
        }
    }

    @Test(arguments: [Int64.min, Int64.max, 0, -1, 9, 10, -10, 1_000_000_007])
    func integers(value: Int64) {
        var out: [UInt8] = []
        PrometheusFloat.appendInteger(value, to: &out)
        #expect(String(decoding: out, as: UTF8.self) == String(value))
    }
}
