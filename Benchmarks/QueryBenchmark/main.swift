import AlertEngine
import MetricStore

#if canImport(Glibc)
import Glibc
#endif

// query-benchmark DIR [RUNS [QUERY...]]
//   Range queries over the whole time span of the store at a 15 s step, evaluated in
//   process (no HTTP), best of RUNS (each run repeats a query for at least 50 ms); and the cost of evaluating 30 typical alerting rules
//   once, as a share of one core when repeated every 15 s.
let arguments = CommandLine.arguments
guard arguments.count >= 2 else {
    print("usage: query-benchmark DATA_DIR [RUNS [QUERY...]]")
    exit(2)
}
let runs = arguments.count > 2 ? Int(arguments[2]) ?? 5 : 5
var options = StoreOptions()
options.readOnly = true
let store = try Store.open(directory: arguments[1], options: options)
defer { store.close() }
let span = try TimeSpan.of(store)
let step: Int64 = 15_000
print("store: \(span.series) series, \(span.samples) samples, \((span.end - span.start) / 60_000) min; step 15s, best of \(runs)")
print("query".padding(58) + "ms cpu".leftPadded(10) + "series".leftPadded(8) + "scanned".leftPadded(12) + "M samples/s".leftPadded(13))
let engine = QueryEngine(source: store, defaultSubqueryStep: step)
// Queries given after RUNS replace the set (for profiling one of them).
let queries = arguments.count > 3 ? Array(arguments[3...]) : QueryBenchmarkSet.rangeQueries
for text in queries {
    let expr = try PromQLParser.parse(text)
    let scanned = try ScannedSamples.count(expr, source: store, start: span.start, end: span.end)
    var best = Double.infinity
    var resultSeries = 0
    for _ in 0..<runs {
        // A query of a few hundred microseconds is repeated for at least 50 ms, so that the
        // CPU clock's granularity does not decide its figure.
        let started = cpuSeconds()
        var repetitions = 0
        var elapsed = 0.0
        repeat {
            resultSeries = try engine.rangeQuery(expr, start: span.start, end: span.end, step: step).count
            repetitions += 1
            elapsed = cpuSeconds() - started
        } while elapsed < 0.05
        best = min(best, elapsed / Double(repetitions))
    }
    print(text.padding(58) + fixed(best * 1000, 1).leftPadded(10) + "\(resultSeries)".leftPadded(8)
        + "\(scanned)".leftPadded(12) + fixed(Double(scanned) / best / 1e6, 1).leftPadded(13))
}

// Rules: every alerting rule evaluated at one instant, as the agent does each interval.
let rules = try QueryBenchmarkSet.alertingRules.map { try PromQLParser.parse($0) }
var bestRules = Double.infinity
for _ in 0..<runs {
    let started = cpuSeconds()
    for rule in rules { _ = try engine.instantQuery(rule, at: span.end) }
    bestRules = min(bestRules, cpuSeconds() - started)
}
print("\(rules.count) alerting rules at one instant: \(fixed(bestRules * 1000, 2)) ms cpu = \(fixed(bestRules / 15 * 100, 3))% of one core every 15 s")

func cpuSeconds() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return Double(usage.ru_utime.tv_sec) + Double(usage.ru_utime.tv_usec) / 1e6
        + Double(usage.ru_stime.tv_sec) + Double(usage.ru_stime.tv_usec) / 1e6
}

func fixed(_ value: Double, _ digits: Int) -> String {
    var scale = 1.0
    for _ in 0..<digits { scale *= 10 }
    let rounded = (value * scale).rounded() / scale
    return "\(rounded)"
}

extension String {
    func padding(_ width: Int) -> String { count >= width ? self + " " : self + String(repeating: " ", count: width - count) }
    func leftPadded(_ width: Int) -> String { count >= width ? " " + self : String(repeating: " ", count: width - count) + self }
}
