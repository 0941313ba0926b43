import MetricStore
import Testing

/// Helpers to restate cases from Prometheus' promql/promqltest/testdata/*.test files.
enum PromQLTestData {
    static let second: Int64 = 1000
    static let minute: Int64 = 60 * second

    /// A `load <step>` line: the i-th value at i × step; `nil` (the test files' `_`) is no
    /// sample.
    static func load(step: Int64, _ values: [Double?]) -> [Sample] {
        values.enumerated().compactMap { index, value in
            value.map { Sample(timestamp: Int64(index) * step, value: $0) }
        }
    }

    /// The test files' `start+incrementxtimes`: times + 1 values.
    static func ramp(_ start: Double, _ increment: Double, times: Int) -> [Double?] {
        (0...times).map { start + Double($0) * increment }
    }

    /// The samples a range selector `[range] offset offset` sees when evaluated at `time`:
    /// Prometheus 3 windows are open on the left, (end - range, end].
    static func window(_ samples: [Sample], at time: Int64, range: Int64, offset: Int64 = 0) -> ArraySlice<Sample> {
        let end = time - offset
        let start = end - range
        let lower = samples.firstIndex { $0.timestamp > start } ?? samples.endIndex
        let upper = samples.firstIndex { $0.timestamp > end } ?? samples.endIndex
        return samples[lower..<Swift.max(lower, upper)]
    }

    static func samples(_ values: [Double], step: Int64 = 10 * second) -> ArraySlice<Sample> {
        ArraySlice(load(step: step, values))
    }

    /// Equal, both NaN, or within `relativeTolerance` (the test files print rounded values).
    static func matches(_ actual: Double?, _ expected: Double?, relativeTolerance: Double = 0) -> Bool {
        switch (actual, expected) {
        case (nil, nil): return true
        case let (actual?, expected?):
            if actual.isNaN || expected.isNaN { return actual.isNaN && expected.isNaN }
            if actual == expected { return true }
            if actual.isInfinite || expected.isInfinite { return false }
            return Swift.abs(actual - expected) <= relativeTolerance * Swift.max(Swift.abs(actual), Swift.abs(expected))
        default: return false
        }
    }
}
