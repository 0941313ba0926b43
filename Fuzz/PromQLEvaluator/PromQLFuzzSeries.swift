import AlertEngine
import MetricStore

/// The small store every evaluator input queries: an hour of 15 s samples of host, HTTP and
/// histogram series, with what makes PromQL's corner cases — a counter reset, NaN and ±Inf
/// gauge values, a gap, a non-ASCII label value, a series that ends early.
enum PromQLFuzzSeries {
    /// 2023-11-14T22:13:20Z, in ms.
    static let start: Int64 = 1_700_000_000_000
    static let interval: Int64 = 15_000
    static let count = 240
    static var end: Int64 { start + interval * Int64(count - 1) }

    static let source: MemorySampleSource = {
        var source = MemorySampleSource()
        func add(_ pairs: [(String, String)], _ value: (Int) -> Double?) {
            let labels = Labels(pairs.map { Label($0.0, $0.1) })
            let samples = (0..<count).compactMap { index in
                value(index).map { Sample(timestamp: start + interval * Int64(index), value: $0) }
            }
            source.append(labels, samples)
        }
        for cpu in ["0", "1"] {
            for (offset, mode) in ["idle", "user", "system"].enumerated() {
                add([("__name__", "node_cpu_seconds_total"), ("cpu", cpu), ("job", "node"), ("mode", mode)]) { index in
                    // cpu 1 restarts half way: a counter reset.
                    let ticks = cpu == "1" && index >= count / 2 ? index - count / 2 : index
                    return Double(ticks * (offset + 1)) * 0.25
                }
            }
        }
        add([("__name__", "node_load1"), ("job", "node")]) { index in
            switch index {
            case 50: .nan
            case 51: .infinity
            case 52: -.infinity
            case 100..<120: nil
            default: Double(index % 17) / 4
            }
        }
        for (code, rate) in [("200", 10), ("500", 1)] {
            add([("__name__", "http_requests_total"), ("code", code), ("handler", "/é"), ("job", "app")]) { Double($0 * rate) }
        }
        for (bound, share) in [("0.1", 0.5), ("0.5", 0.8), ("1", 0.95), ("+Inf", 1.0)] {
            add([("__name__", "http_request_duration_seconds_bucket"), ("job", "app"), ("le", bound)]) { Double($0) * 4 * share }
        }
        add([("__name__", "up"), ("instance", "a:9100"), ("job", "node")]) { _ in 1 }
        add([("__name__", "up"), ("instance", "b:9100"), ("job", "app")]) { $0 < count / 3 ? 1 : nil }
        return source
    }()
}
