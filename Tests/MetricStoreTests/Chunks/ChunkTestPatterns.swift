@testable import MetricStore
import TestSupport

/// Named sample patterns for codec tests: what scrapes of real hosts look like (jittered
/// timestamps, counters, gauges, constants, stale markers), plus the float patterns a codec
/// gets wrong first. All drawn from a seeded generator.
enum ChunkTestPatterns {
    /// Every float64 class whose bit pattern must come back exactly.
    static let specialValues: [Double] = [
        0, -0.0, 1, -1, .infinity, -.infinity, .nan, -.nan,
        StaleMarker.value,
        Double(bitPattern: 0x7ff8_dead_beef_0001),  // quiet NaN with a payload
        Double(bitPattern: 0x7ff0_0000_0000_0001),  // signalling NaN
        .leastNonzeroMagnitude, -.leastNonzeroMagnitude,
        .leastNormalMagnitude, .greatestFiniteMagnitude, -.greatestFiniteMagnitude,
        Double(bitPattern: 0x000f_ffff_ffff_ffff),  // largest subnormal
        .pi, 0.1, 0.30000000000000004, 1e-300, 1e300,
        9_007_199_254_740_992, 9_007_199_254_740_993.0, -9_007_199_254_740_992,
        18_446_744_073_709_551_616, 1.8446744073709552e19, 76.48634799999999,
    ]

    enum TimestampPattern: String, CaseIterable {
        /// An exact 1 s grid, as synthetic data has.
        case regular
        /// 1 s scrapes jittered by a few ms, as the benchmark dataset has.
        case jittered
        /// 10 s scrapes with jitter and, now and then, a missed scrape or an agent restart.
        case gapped
        /// Anything strictly increasing: imports, clock steps.
        case irregular
    }

    enum ValuePattern: String, CaseIterable {
        case constant
        /// An integer counter at a varying rate, now and then reset to 0.
        case counter
        /// A counter in bytes, moving by whole pages.
        case pageCounter
        /// A gauge with 3 decimals, as `node_load1`.
        case decimalGauge
        /// Durations with 9 significant digits, as collector durations.
        case noisyGauge
        /// Any bit pattern at all.
        case randomBits
        /// Integers, decimals, computed noise and specials mixed.
        case mixed
        /// A constant that ends in a stale marker.
        case constantThenStale
    }

    static func timestamps(_ pattern: TimestampPattern, count: Int, using random: inout SplitMix64) -> [Int64] {
        var result: [Int64] = []
        var timestamp: Int64 = 1_795_916_033_269 + Int64.random(in: -1000...1000, using: &random)
        for _ in 0..<count {
            result.append(timestamp)
            switch pattern {
            case .regular: timestamp += 1000
            case .jittered: timestamp += 1000 + Int64.random(in: -3...3, using: &random)
            case .gapped:
                let missed = Int64.random(in: 0..<20, using: &random) == 0 ? Int64.random(in: 1...400, using: &random) : 0
                timestamp += 10_000 * (1 + missed) + Int64.random(in: -20...20, using: &random)
            case .irregular: timestamp += Int64.random(in: 1...(1 << Int64.random(in: 1...40, using: &random)), using: &random)
            }
        }
        return result
    }

    static func values(_ pattern: ValuePattern, count: Int, using random: inout SplitMix64) -> [Double] {
        var result: [Double] = []
        var counter = Double(Int.random(in: 0...1 << 40, using: &random))
        for index in 0..<count {
            switch pattern {
            case .constant:
                result.append(42.5)
            case .counter:
                if Int.random(in: 0..<200, using: &random) == 0 { counter = 0 }
                counter += Double(Int.random(in: 0...5000, using: &random))
                result.append(counter)
            case .pageCounter:
                counter += Double(Int.random(in: -300...300, using: &random) * 4096)
                result.append(counter)
            case .decimalGauge:
                result.append(Double(Int.random(in: 0...20_000, using: &random)) / 1000)
            case .noisyGauge:
                result.append(Double(Int.random(in: 10_000...999_999, using: &random)) / 1e9)
            case .randomBits:
                result.append(Double(bitPattern: random.next()))
            case .mixed:
                switch Int.random(in: 0..<5, using: &random) {
                case 0: result.append(specialValues.randomElement(using: &random)!)
                case 1: result.append(Double(Int.random(in: -1000...1000, using: &random)))
                case 2: result.append(Double(Int.random(in: -1000...1000, using: &random)) / 100)
                case 3: result.append(Double.random(in: -1e6...1e6, using: &random))
                default: result.append(Double(bitPattern: random.next()))
                }
            case .constantThenStale:
                result.append(index == count - 1 ? StaleMarker.value : 7)
            }
        }
        return result
    }

    static func samples(_ timestamps: TimestampPattern, _ values: ValuePattern, count: Int, seed: UInt64) -> [Sample] {
        var random = SplitMix64(seed: seed)
        return zip(Self.timestamps(timestamps, count: count, using: &random), Self.values(values, count: count, using: &random))
            .map { Sample(timestamp: $0, value: $1) }
    }

    /// Every (timestamp pattern, value pattern) pair, for parameterised tests.
    static var allPatterns: [(TimestampPattern, ValuePattern)] {
        TimestampPattern.allCases.flatMap { t in ValuePattern.allCases.map { (t, $0) } }
    }
}
